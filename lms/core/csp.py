"""A Content-Security-Policy on every response that does not set its own.

Everything the product loads comes from its own origin. Wagtail's admin still uses inline scripts and
styles (its editors and chooser modals), so 'unsafe-inline' stays for those; plugins, foreign frames,
foreign form targets and <base> changes are refused. Wagtail's document view sets a stricter policy itself.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response
