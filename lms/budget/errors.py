"""Why a budget action was refused, in words a user understands."""


class BudgetRefused(Exception):
    """A charge, claim step or settlement the rules do not allow; `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
