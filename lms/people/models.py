"""The county's organisation and its people: townships, villages, stations, posts, cadres."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(r"^1\d{10}$", _("Enter an 11-digit mobile number starting with 1."))


class County(models.Model):
    """The county whose Party school runs the training."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Township(models.Model):
    """A township (乡) or town (镇) of the county."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("Township (乡)")
        TOWN = "town", _("Town (镇)")

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="townships")
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TOWNSHIP)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("township or town")
        verbose_name_plural = _("townships and towns")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="township_unique_name")]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """An administrative village (行政村) or urban community (社区)."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("Administrative village")
        COMMUNITY = "community", _("Community")

    township = models.ForeignKey(
        Township, verbose_name=_("township or town"), on_delete=models.PROTECT, related_name="villages"
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    star_rating = models.PositiveSmallIntegerField(
        _("star rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The village's rating under the five-star scheme (1-5)."),
    )

    class Meta:
        verbose_name = _("village or community")
        verbose_name_plural = _("villages and communities")
        ordering = ["township__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="village_unique_name")]

    def __str__(self) -> str:
        return f"{self.township.name}·{self.name}"


class Station(models.Model):
    """A remote-education station (远程教育站点) at county, township or village level."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")

    name = models.CharField(_("name"), max_length=80, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="stations")
    township = models.ForeignKey(
        Township, verbose_name=_("township or town"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="stations",
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village or community"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="stations",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    operator = models.ForeignKey(
        "Person", verbose_name=_("operator"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="operated_stations",
    )
    equipment = models.CharField(_("equipment"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("remote-education station")
        verbose_name_plural = _("remote-education stations")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                name="station_level_matches_place",
                condition=(
                    models.Q(level="county", township__isnull=True, village__isnull=True)
                    | models.Q(level="township", township__isnull=False, village__isnull=True)
                    | models.Q(level="village", township__isnull=False, village__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def township_name(self) -> str:
        """The township's name, blank for a county-level station."""
        return self.township.name if self.township_id else ""

    def village_name(self) -> str:
        """The village's name, blank above village level."""
        return self.village.name if self.village_id else ""

    def operator_name(self) -> str:
        """The operator's name, blank when nobody runs the station."""
        return self.operator.name if self.operator_id else ""


class Post(models.Model):
    """A post a village cadre may hold (村党支部书记, 村委会主任, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A village cadre: a learner of the Party school."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior middle school")
        SENIOR = "senior", _("Senior middle school / technical school")
        COLLEGE = "college", _("Junior college")
        BACHELOR = "bachelor", _("Bachelor's degree")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1920), MaxValueValidator(2015)]
    )
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    phone = models.CharField(_("mobile number"), max_length=11, unique=True, validators=[phone_validator])
    village = models.ForeignKey(
        Village, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="people"
    )
    posts = models.ManyToManyField(Post, verbose_name=_("posts held"), related_name="holders", blank=True)
    party_joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )
    is_active = models.BooleanField(_("in office"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["village__township__sort_order", "village__name", "name"]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def township(self) -> Township:
        return self.village.township

    def posts_display(self) -> str:
        """The posts held, joined for display."""
        return "、".join(post.name for post in self.posts.all())

    posts_display.short_description = _("posts held")


class Teacher(models.Model):
    """A lecturer of the Party school or a guest speaker."""

    name = models.CharField(_("name"), max_length=40)
    title = models.CharField(_("title or unit"), max_length=80, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="teacher",
    )

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name
