"""Courses and lessons (read), and quiz results."""

from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router
from ninja.pagination import CursorPagination, paginate
from pydantic import Field

from ..schemas import AttemptOut, CourseOut, LessonOut
from ..scope import attempts_for, courses_for, lessons_for

router = Router(tags=["课程与测验"])


@router.get("/courses", response=list[CourseOut], summary="课程列表")
@paginate(CursorPagination, ordering=("pk",))
def course_list(request):
    """已发布的课程；学员只见面向其职务的课程。"""
    return courses_for(request.user).order_by()


@router.get("/courses/{course_id}", response=CourseOut, summary="课程详情")
def course_detail(request, course_id: int):
    """一门课程；看不到的返回 404。"""
    return get_object_or_404(courses_for(request.user), pk=course_id)


@router.get("/lessons", response=list[LessonOut], summary="课时列表")
@paginate(CursorPagination, ordering=("pk",))
def lesson_list(request):
    """本账号可见课程中已发布的课时。"""
    return lessons_for(request.user).order_by()


@router.get("/lessons/{lesson_id}", response=LessonOut, summary="课时详情")
def lesson_detail(request, lesson_id: int):
    """一个课时；看不到的返回 404。"""
    return get_object_or_404(lessons_for(request.user), pk=lesson_id)


class AttemptFilter(FilterSchema):
    quiz_id: int | None = Field(None, description="按测验编号筛选")
    user_id: int | None = Field(None, description="按学员账号编号筛选")
    passed: bool | None = Field(None, description="是否通过")


@router.get("/quiz-results", response=list[AttemptOut], summary="测验成绩列表")
@paginate(CursorPagination, ordering=("pk",))
def attempt_list(request, filters: Query[AttemptFilter]):
    """已交卷的答卷：学员只见自己的，乡镇管理员只见本乡镇学员的。"""
    return filters.filter(attempts_for(request.user).select_related("quiz").order_by())


@router.get("/quiz-results/{attempt_id}", response=AttemptOut, summary="测验成绩详情")
def attempt_detail(request, attempt_id: int):
    """一份答卷的成绩；看不到的返回 404。"""
    return get_object_or_404(attempts_for(request.user).select_related("quiz"), pk=attempt_id)
