"""Every page carries a Content-Security-Policy that refuses plugins and foreign frames and form targets."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/health/"])
def test_pages_carry_the_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy and "form-action 'self'" in policy
