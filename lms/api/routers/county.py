"""Townships, villages and remote-education stations."""

from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router
from ninja.pagination import CursorPagination, paginate
from pydantic import Field

from ..schemas import StationOut, TownshipOut, VillageOut
from ..scope import stations_for, townships_for, villages_for

router = Router(tags=["乡镇、村与站点"])


@router.get("/townships", response=list[TownshipOut], summary="乡镇列表")
@paginate(CursorPagination, ordering=("pk",))
def township_list(request):
    """本账号可见的乡镇（乡镇管理员只见本乡镇）。"""
    return townships_for(request.user).order_by()


@router.get("/townships/{township_id}", response=TownshipOut, summary="乡镇详情")
def township_detail(request, township_id: int):
    """一个乡镇；超出本账号范围的返回 404。"""
    return get_object_or_404(townships_for(request.user), pk=township_id)


class VillageFilter(FilterSchema):
    township_id: int | None = Field(None, description="按乡镇编号筛选")
    kind: str | None = Field(None, description="village 行政村 / community 社区")


@router.get("/villages", response=list[VillageOut], summary="村（社区）列表")
@paginate(CursorPagination, ordering=("pk",))
def village_list(request, filters: Query[VillageFilter]):
    """本账号可见的村（社区），可按乡镇筛选。"""
    return filters.filter(villages_for(request.user).order_by())


@router.get("/villages/{village_id}", response=VillageOut, summary="村（社区）详情")
def village_detail(request, village_id: int):
    """一个村（社区）；超出范围的返回 404。"""
    return get_object_or_404(villages_for(request.user), pk=village_id)


class StationFilter(FilterSchema):
    township_id: int | None = Field(None, description="按乡镇编号筛选")
    level: str | None = Field(None, description="county / township / village")


@router.get("/stations", response=list[StationOut], summary="远程教育站点列表")
@paginate(CursorPagination, ordering=("pk",))
def station_list(request, filters: Query[StationFilter]):
    """本账号可见的远程教育站点。"""
    return filters.filter(stations_for(request.user).order_by())


@router.get("/stations/{station_id}", response=StationOut, summary="站点详情")
def station_detail(request, station_id: int):
    """一个站点；超出范围的返回 404。"""
    return get_object_or_404(stations_for(request.user), pk=station_id)
