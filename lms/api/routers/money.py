"""Allowance balances and ledger entries (budget officers only), and claims (read; decisions stay in the UI)."""

from decimal import Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router
from ninja.pagination import CursorPagination, paginate
from pydantic import Field

from ..schemas import AccountOut, ClaimOut, LedgerEntryOut
from ..scope import allowance_accounts_for, claims_for, ledger_entries_for

router = Router(tags=["培训经费"])


def _with_balance(qs):
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
    return qs.select_related("person").annotate(balance=Coalesce(Sum("entries__amount"), zero))


class AccountFilter(FilterSchema):
    year: int | None = Field(None, description="按年度筛选")
    kind: str | None = Field(None, description="allowance / fund")
    person_id: int | None = Field(None, description="按学员编号筛选")


@router.get("/allowances", response=list[AccountOut], summary="经费账户与余额")
@paginate(CursorPagination, ordering=("pk",))
def account_list(request, filters: Query[AccountFilter]):
    """每名村支书每年 1000 元培训经费等账户的余额。仅财务审核可用。"""
    return _with_balance(filters.filter(allowance_accounts_for(request.user).order_by()))


@router.get("/allowances/{account_id}", response=AccountOut, summary="经费账户详情")
def account_detail(request, account_id: int):
    """一个账户及其余额。仅财务审核可用。"""
    return get_object_or_404(_with_balance(allowance_accounts_for(request.user)), pk=account_id)


class LedgerFilter(FilterSchema):
    year: int | None = Field(None, description="按年度筛选")
    account_id: int | None = Field(None, description="按账户编号筛选")
    person_id: int | None = Field(None, description="按学员编号筛选")
    kind: str | None = Field(None, description="按分录类型筛选")


@router.get("/ledger-entries", response=list[LedgerEntryOut], summary="经费分录")
@paginate(CursorPagination, ordering=("pk",))
def ledger_list(request, filters: Query[LedgerFilter]):
    """经费台账的分录（只增不改，冲销另记一笔）。仅财务审核可用。"""
    return filters.filter(ledger_entries_for(request.user).order_by())


@router.get("/ledger-entries/{entry_id}", response=LedgerEntryOut, summary="分录详情")
def ledger_detail(request, entry_id: int):
    """一笔分录。仅财务审核可用。"""
    return get_object_or_404(ledger_entries_for(request.user), pk=entry_id)


class ClaimFilter(FilterSchema):
    year: int | None = Field(None, description="按预算年度筛选")
    state: str | None = Field(None, description="按状态筛选")
    person_id: int | None = Field(None, description="按学员编号筛选")


@router.get("/claims", response=list[ClaimOut], summary="报销单列表")
@paginate(CursorPagination, ordering=("pk",))
def claim_list(request, filters: Query[ClaimFilter]):
    """报销单（只读，审核在系统页面中进行）：财务与教务全县，乡镇管理员本乡镇，学员本人。"""
    return filters.filter(claims_for(request.user).order_by())


@router.get("/claims/{claim_id}", response=ClaimOut, summary="报销单详情")
def claim_detail(request, claim_id: int):
    """一张报销单；看不到的返回 404。"""
    return get_object_or_404(claims_for(request.user), pk=claim_id)
