"""Version 1 of the REST API: /api/v1/, its OpenAPI schema and docs (for signed-in staff)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from lms.accounts.roles import is_learner_only

from . import errors
from .auth import SessionAuth, TokenAuth
from .routers import certificates, classes, county, learning, money, people

DESCRIPTION = """县乡党校干部培训平台的数据接口，供县委组织部干部信息库、省级平台、微信小程序等系统读写。

**认证**：在后台“API 令牌”中创建个人令牌，请求时发送 `Authorization: Bearer <令牌>`；
令牌继承其账号的角色与范围（例如乡镇管理员的令牌只能看到本乡镇）。本站页面自身的脚本使用登录会话。

**分页**：列表使用游标分页，响应中的 `next` / `previous` 作为下一次请求的 `cursor` 参数。

**错误**：一律返回 JSON `{"code": 稳定代码, "message": 中文说明}`；超出范围的对象返回 404，角色无权使用的接口返回 403，
频率超限返回 429。"""


def staff_docs(view):
    """The docs and schema are for signed-in staff, officers and organisers, not for learners or the public."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_learner_only(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="县乡党校干部培训平台 API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs_decorator=staff_docs,
)
errors.install(api)
for module in (county, people, learning, classes, money, certificates):
    api.add_router("/", module.router)
