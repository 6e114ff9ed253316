"""factory_boy factories for the county, its people and role accounts."""

import itertools

import factory

from lms.accounts.models import User
from lms.accounts.roles import ROLE_NAMES, role_group
from lms.people.models import County, Person, Post, Teacher, Township, Village

_phones = itertools.count(13000000001)


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("name",)

    name = "测试县"


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"第{n}乡")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"第{n}村")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "Passw0rd!2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for code in extracted:
                self.groups.add(role_group(code))
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"学员{n}")
    gender = Person.Gender.MALE
    ethnicity = "汉族"
    birth_year = 1978
    education = Person.Education.SENIOR
    phone = factory.LazyFunction(lambda: str(next(_phones)))
    village = factory.SubFactory(VillageFactory)

    @factory.post_generation
    def posts(self, create, extracted, **kwargs):
        if create and extracted:
            self.posts.set(Post.objects.filter(code__in=extracted))


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    name = factory.Sequence(lambda n: f"教师{n}")
    title = "县委党校讲师"


def learner_for(person: Person, *, must_change_password: bool = False) -> User:
    """Give a cadre a learner account whose username is their phone."""
    user = UserFactory(username=person.phone, roles=["learner"], must_change_password=must_change_password)
    person.user = user
    person.save(update_fields=["user"])
    return user


__all__ = ["ROLE_NAMES"]
