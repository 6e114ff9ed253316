"""Certificates (read) and the public verification by serial number."""

from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router
from ninja.pagination import CursorPagination, paginate
from pydantic import Field

from lms.certificates.models import Certificate

from ..auth import rate_limit
from ..schemas import CertificateOut, ErrorOut, VerificationOut
from ..scope import certificates_for

router = Router(tags=["结业证书"])


class CertificateFilter(FilterSchema):
    training_class_id: int | None = Field(None, description="按培训班编号筛选")
    person_id: int | None = Field(None, description="按学员编号筛选")
    year: int | None = Field(None, description="按年度筛选")


@router.get("/certificates", response=list[CertificateOut], summary="证书列表")
@paginate(CursorPagination, ordering=("pk",))
def certificate_list(request, filters: Query[CertificateFilter]):
    """本账号可见的结业证书：学员只见自己的。"""
    return filters.filter(certificates_for(request.user).order_by())


@router.get("/certificates/{certificate_id}", response=CertificateOut, summary="证书详情")
def certificate_detail(request, certificate_id: int):
    """一张证书；看不到的返回 404。"""
    return get_object_or_404(certificates_for(request.user), pk=certificate_id)


@router.get("/verify/{serial}", response={200: VerificationOut, 404: ErrorOut, 429: ErrorOut}, auth=None,
            summary="公开核验证书")
def certificate_verify(request, serial: str):
    """无需登录：按证书编号核验真伪，返回持证人、班次与是否有效。按来访地址限制频率。"""
    rate_limit(key=f"addr:{request.META.get('REMOTE_ADDR', '')}")
    certificate = get_object_or_404(Certificate.objects.all(), serial=serial[:40])
    return {
        "serial": certificate.serial, "valid": certificate.revoked_at is None,
        "holder_name": certificate.holder_name, "class_name": certificate.class_name,
        "starts_on": certificate.starts_on, "ends_on": certificate.ends_on,
    }
