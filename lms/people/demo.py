"""Demo data: the seed's county, its townships, villages, cadres and remote-education stations.

Everything is generated from a seeded random generator in a fixed order and matched on stable
natural keys (names, phone numbers), so running the step again changes no row.
"""

import random
from collections.abc import Iterable, Sequence
from datetime import date

from django.db import models

from . import posts as post_codes
from .models import County, Person, Post, Station, Teacher, Township, Village

SEED = 20260101
# Ages are computed against this year, so the demo does not drift as calendars turn.
REFERENCE_YEAR = 2026

COUNTY_NAME = "博格达哈萨克自治县"
COUNTY_SEAT = "博格达镇"

# (name, kind, villages, communities): 7 乡 and 2 镇, 146 villages and 7 communities.
TOWNSHIPS = [
    ("博格达镇", Township.Kind.TOWN, 12, 4),
    ("西泉镇", Township.Kind.TOWN, 14, 3),
    ("东城乡", Township.Kind.TOWNSHIP, 17, 0),
    ("大石头乡", Township.Kind.TOWNSHIP, 16, 0),
    ("白杨河乡", Township.Kind.TOWNSHIP, 18, 0),
    ("红柳沟乡", Township.Kind.TOWNSHIP, 15, 0),
    ("三道岭乡", Township.Kind.TOWNSHIP, 19, 0),
    ("雀儿沟乡", Township.Kind.TOWNSHIP, 17, 0),
    ("照壁山乡", Township.Kind.TOWNSHIP, 18, 0),
]
COMMUNITIES = {
    "博格达镇": ["文化路社区", "人民路社区", "天山社区", "东门社区"],
    "西泉镇": ["西泉社区", "车站社区", "新城社区"],
}
VILLAGE_PREFIXES = [
    "东", "西", "南", "北", "上", "下", "前", "后", "大", "小", "新", "老", "红柳", "榆树", "白杨",
    "沙枣", "芦草", "黄羊", "石门", "马场", "柳树", "野狐", "庙尔", "头道", "二道", "三个",
]
VILLAGE_ROOTS = ["湖", "沟", "泉", "渠", "庄", "湾", "滩", "梁", "坪", "堡", "台子", "营", "湖滩", "闸"]
# Villages with Kazakh or Uyghur names, as a Xinjiang county has.
VILLAGE_NATIVE_NAMES = [
    "阿克塔斯", "喀拉布拉克", "阔克托别", "萨尔乔克", "加尔巴斯", "塔斯巴斯陶", "阿克苏", "克孜勒塔斯",
    "吐尔洪", "阿勒泰巴斯", "喀拉托别", "阔克布拉克", "琼布拉克", "阿克齐", "托特克", "布尔加斯台",
]

SECRETARIES_AND_DIRECTORS_IN_ONE = 9
RESERVE_CADRES = 44
GRADUATE_OFFICIALS = 55  # the seed's college-graduate village officials
STAR_COUNTS = {5: 55, 4: 69, 3: 22}
VILLAGE_STATIONS = 149

# Rough make-up of a Kazakh autonomous county in northern Xinjiang.
ETHNICITIES = [("汉族", 46), ("哈萨克族", 30), ("维吾尔族", 11), ("回族", 10), ("蒙古族", 3)]

HAN_SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔向汤"
)
HUI_SURNAMES = list("马马马杨丁白海沙穆哈纳冶李张")
HAN_GIVEN = {
    "M": list("伟强军平刚勇杰涛明超斌辉鹏华建国志文海林峰磊春东新学忠德永生宏亮成荣福庆"),
    "F": list("芳娟敏静丽艳霞燕玲萍红梅琴兰英慧秀娜婷雪莉凤云桂香"),
}
NATIVE_NAMES = {
    "哈萨克族": {
        "M": ["努尔兰", "叶尔兰", "别克", "哈力别克", "加尔肯", "赛力克", "达吾列提", "叶尔波力", "波拉提", "阿依登",
              "吐尔逊别克", "马合沙提", "叶尔江", "巴合提"],
        "F": ["古丽娜尔", "阿依达娜", "加娜尔", "古丽米拉", "玛依拉", "阿克列克", "沙吾列", "阿依努尔"],
        "father": ["哈布都拉", "努尔别克", "吾拉孜汗", "卡德尔", "托合塔尔", "木哈买提", "叶尔肯", "居马汗"],
    },
    "维吾尔族": {
        "M": ["艾尔肯", "买买提", "阿不都", "吐尔洪", "艾力", "热合曼", "依明", "阿布来提", "库尔班", "伊力哈木"],
        "F": ["阿依古丽", "古丽巴哈尔", "热依拉", "帕提古丽", "米娜瓦尔", "阿瓦古丽", "祖丽胡玛尔"],
        "father": ["吐尔逊", "艾合买提", "肉孜", "司马义", "玉素甫", "阿西木", "卡斯木", "吾守尔"],
    },
    "蒙古族": {
        "M": ["巴特尔", "额尔敦", "那仁", "孟克", "宝音", "朝格图"],
        "F": ["其木格", "乌兰", "图雅", "萨仁", "高娃"],
        "father": ["巴图", "道尔吉", "朝鲁", "达瓦", "吉日格勒"],
    },
}
PHONE_PREFIXES = ["139", "138", "137", "136", "135", "150", "151", "152", "158", "159", "180", "181", "182",
                  "183", "187", "188", "199", "133", "153", "177", "189", "199"]

TEACHERS = [
    ("王丽华", "县委党校副校长、高级讲师", "长期从事党的基层组织建设教学，主讲科学发展观与村干部履职能力。"),
    ("马俊", "县委党校讲师", "主讲党风廉政建设与警示教育，曾在县纪委挂职。"),
    ("努尔兰·哈布都拉", "县委组织部组织科科长", "负责全县村级组织换届选举和后备干部培养工作。"),
    ("李建国", "县纪委监委宣传教育室主任", "主讲党纪法规、村级小微权力监督。"),
    ("张红梅", "县农业农村局农村经营管理站站长", "长期指导村级集体经济发展和村级财务管理。"),
    ("赵志刚", "县委组织部远程教育办公室主任", "负责县乡村三级远程教育站点的建设与管理。"),
    ("周文", "县民政局基层政权建设科科长", "主讲村民自治、村务公开和民主管理。"),
]


def _plain(value):
    """A comparable form of a field value: model instances by primary key."""
    return value.pk if isinstance(value, models.Model) else value


def sync_rows(model: type[models.Model], key: Sequence[str], rows: Iterable[dict]) -> dict[tuple, models.Model]:
    """Create missing rows and update changed ones, matched on natural key fields; return all by key.

    Keys are tuples of the key fields' values, related rows given by primary key. Rows whose
    values already match are not saved, so auto_now fields stay put on a re-run.
    """
    attnames = {f.name: f.attname for f in model._meta.concrete_fields}

    def key_of(values) -> tuple:
        return tuple(_plain(values[name]) for name in key)

    def stored_key(obj) -> tuple:
        return tuple(getattr(obj, attnames[name]) for name in key)

    keyed = {key_of(row): row for row in rows}
    lookup = {f"{attnames[key[0]]}__in": {k[0] for k in keyed}}
    existing = {stored_key(obj): obj for obj in model.objects.filter(**lookup)}
    to_create, to_update, changed_fields = [], [], set()
    for k, row in keyed.items():
        obj = existing.get(k)
        if obj is None:
            to_create.append(model(**row))
            continue
        diff = [name for name, value in row.items() if getattr(obj, attnames[name]) != _plain(value)]
        if diff:
            for name in diff:
                setattr(obj, name, row[name])
            changed_fields.update(diff)
            to_update.append(obj)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        if "updated_at" in attnames:
            changed_fields.add("updated_at")
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    existing = {stored_key(obj): obj for obj in model.objects.filter(**lookup)}
    return {k: existing[k] for k in keyed}


def _village_names(rng: random.Random, count: int) -> list[str]:
    combos = [p + r for p in VILLAGE_PREFIXES for r in VILLAGE_ROOTS]
    rng.shuffle(combos)
    names = VILLAGE_NATIVE_NAMES + combos[: count - len(VILLAGE_NATIVE_NAMES)]
    rng.shuffle(names)
    return [name + "村" for name in names]


class _PeopleMaker:
    """Deterministic names, phones and personal details."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.phones: set[str] = set()
        ethnic_names, weights = zip(*ETHNICITIES, strict=True)
        self.ethnic_names, self.ethnic_weights = ethnic_names, weights

    def phone(self) -> str:
        while True:
            number = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def name(self, ethnicity: str, gender: str) -> str:
        rng = self.rng
        if ethnicity in NATIVE_NAMES:
            names = NATIVE_NAMES[ethnicity]
            return f"{rng.choice(names[gender])}·{rng.choice(names['father'])}"
        surname = rng.choice(HUI_SURNAMES if ethnicity == "回族" else HAN_SURNAMES)
        given = "".join(rng.choice(HAN_GIVEN[gender]) for _ in range(rng.choice((1, 2, 2))))
        return surname + given

    def person(self, *, mean_age: float, female_share: float, education: str, party_share: float) -> dict:
        rng = self.rng
        gender = "F" if rng.random() < female_share else "M"
        ethnicity = rng.choices(self.ethnic_names, self.ethnic_weights)[0]
        age = max(22, min(62, round(rng.gauss(mean_age, 7))))
        birth_year = REFERENCE_YEAR - age
        joined = None
        if rng.random() < party_share:
            join_year = min(REFERENCE_YEAR - 1, birth_year + rng.randint(20, max(20, min(40, age - 1))))
            joined = date(join_year, rng.randint(1, 12), rng.randint(1, 28))
        return {
            "name": self.name(ethnicity, gender),
            "gender": gender,
            "ethnicity": ethnicity,
            "birth_year": birth_year,
            "education": education,
            "phone": self.phone(),
            "party_joined_on": joined,
        }


def _education_pool(rng: random.Random, total: int, below_junior: int, mix: dict[str, int]) -> list[str]:
    """Education levels with an exact count below junior middle school, the rest in proportion."""
    rest = total - below_junior
    weight_sum = sum(mix.values())
    pool = [Person.Education.PRIMARY] * below_junior
    for level, weight in mix.items():
        pool += [level] * round(rest * weight / weight_sum)
    pool = (pool + [Person.Education.JUNIOR] * total)[:total]
    rng.shuffle(pool)
    return pool


LEADER_MIX = {Person.Education.JUNIOR: 45, Person.Education.SENIOR: 32, Person.Education.COLLEGE: 15,
              Person.Education.BACHELOR: 8}


def build(*, stdout) -> None:
    """Build or bring up to date the demo county of the seed."""
    rng = random.Random(SEED)
    county = sync_rows(County, ["name"], [{"name": COUNTY_NAME}])[(COUNTY_NAME,)]

    township_rows = [
        {"county": county, "name": name, "kind": kind, "sort_order": order}
        for order, (name, kind, _v, _c) in enumerate(TOWNSHIPS, start=1)
    ]
    townships = sync_rows(Township, ["county", "name"], township_rows)
    townships = [townships[(county.pk, name)] for name, *_rest in TOWNSHIPS]

    village_names = iter(_village_names(rng, sum(v for _n, _k, v, _c in TOWNSHIPS)))
    village_rows = []
    for township, (name, _kind, n_villages, _n_comm) in zip(townships, TOWNSHIPS, strict=True):
        for _ in range(n_villages):
            village_rows.append({"township": township, "name": next(village_names), "kind": Village.Kind.VILLAGE})
        for community in COMMUNITIES.get(name, []):
            village_rows.append({"township": township, "name": community, "kind": Village.Kind.COMMUNITY})
    admin_villages = [row for row in village_rows if row["kind"] == Village.Kind.VILLAGE]
    stars = [s for s, n in STAR_COUNTS.items() for _ in range(n)]
    rng.shuffle(stars)
    for row, star in zip(admin_villages, stars, strict=True):
        row["star_rating"] = star
    for row in village_rows:
        row.setdefault("star_rating", None)
    villages = sync_rows(Village, ["township", "name"], village_rows)
    villages = [villages[(row["township"].pk, row["name"])] for row in village_rows]

    posts = {post.code: post for post in Post.objects.all()}
    maker = _PeopleMaker(rng)
    one_in_both = set(rng.sample([v.pk for v in villages if v.kind == Village.Kind.VILLAGE],
                                 SECRETARIES_AND_DIRECTORS_IN_ONE))
    secretary_edu = _education_pool(rng, len(villages), 14, LEADER_MIX)
    director_edu = _education_pool(rng, len(villages), 13, LEADER_MIX)

    person_rows: list[dict] = []
    person_posts: list[tuple[str, list[str]]] = []
    operators: dict[int, str] = {}

    def add(village: Village, codes: list[str], **details) -> str:
        row = maker.person(**details)
        row["village"] = village
        row["is_active"] = True
        person_rows.append(row)
        person_posts.append((row["phone"], codes))
        return row["phone"]

    for i, village in enumerate(villages):
        both = village.pk in one_in_both
        codes = [post_codes.SECRETARY] + ([post_codes.DIRECTOR] if both else [])
        add(village, codes, mean_age=44.5, female_share=0.1, education=secretary_edu[i], party_share=1.0)
        if not both:
            add(village, [post_codes.DIRECTOR], mean_age=45, female_share=0.12, education=director_edu[i],
                party_share=0.8)
        member_edu = rng.choice([Person.Education.JUNIOR, Person.Education.SENIOR, Person.Education.COLLEGE])
        operators[village.pk] = add(
            village, [post_codes.COMMITTEE_MEMBER, "station-operator"], mean_age=38, female_share=0.4,
            education=member_edu, party_share=0.7,
        )
    for village in rng.sample(villages, RESERVE_CADRES):
        edu = rng.choice([Person.Education.SENIOR, Person.Education.COLLEGE, Person.Education.BACHELOR])
        add(village, [post_codes.RESERVE_CADRE], mean_age=32, female_share=0.3, education=edu, party_share=0.6)
    for village in rng.sample(villages, GRADUATE_OFFICIALS):
        add(village, [post_codes.GRADUATE_OFFICIAL], mean_age=26, female_share=0.5,
            education=Person.Education.BACHELOR, party_share=0.5)

    people = sync_rows(Person, ["phone"], person_rows)
    _sync_posts({people[(phone,)].pk: codes for phone, codes in person_posts}, posts)

    _build_stations(county, townships, villages, {v: people[(p,)] for v, p in operators.items()})
    sync_rows(Teacher, ["name"], [{"name": n, "title": t, "bio": b} for n, t, b in TEACHERS])
    stdout.write(
        f"people: {county.name}, {len(townships)} townships, {len(villages)} villages, "
        f"{len(people)} cadres, {Station.objects.count()} stations"
    )


def _sync_posts(wanted: dict[int, list[str]], posts: dict[str, Post]) -> None:
    """Make the demo cadres hold exactly their posts, touching only rows that differ."""
    through = Person.posts.through
    want = {(pid, posts[code].pk) for pid, codes in wanted.items() for code in codes}
    have = set(through.objects.filter(person_id__in=wanted).values_list("person_id", "post_id"))
    through.objects.bulk_create([through(person_id=p, post_id=q) for p, q in want - have], batch_size=500)
    for person_id, post_id in have - want:
        through.objects.filter(person_id=person_id, post_id=post_id).delete()


def _build_stations(county: County, townships: list[Township], villages: list[Village], operators: dict) -> None:
    equipment = ["卫星接收设备、电脑1台、电视机1台", "电脑2台、投影仪1台、卫星接收设备",
                 "电视机1台、DVD播放机、电脑1台"]
    rows = [{
        "name": f"{COUNTY_NAME}远程教育县级站点", "level": Station.Level.COUNTY, "county": county,
        "township": None, "village": None, "address": f"{COUNTY_SEAT}人民路88号县委党校二楼",
        "operator": None, "equipment": "演播室1间、电脑10台、卫星接收及录播设备",
    }]
    for township in townships:
        rows.append({
            "name": f"{township.name}远程教育站点", "level": Station.Level.TOWNSHIP, "county": county,
            "township": township, "village": None, "address": f"{township.name}党委院内党员活动室",
            "operator": None, "equipment": "电脑4台、投影仪1台、卫星接收设备",
        })
    # Every administrative village has a station; three communities share the town's.
    by_pk = {t.pk: t for t in townships}
    with_station = [v for v in villages if v.kind == Village.Kind.VILLAGE]
    with_station += [v for v in villages if v.kind == Village.Kind.COMMUNITY][: VILLAGE_STATIONS - len(with_station)]
    for i, village in enumerate(with_station):
        township = by_pk[village.township_id]
        place = township.name + village.name
        rows.append({
            "name": f"{place}远程教育站点", "level": Station.Level.VILLAGE,
            "county": county, "township": township, "village": village,
            "address": f"{place}{'居委会' if village.kind == Village.Kind.COMMUNITY else '村委会'}党员活动室",
            "operator": operators[village.pk], "equipment": equipment[i % len(equipment)],
        })
    sync_rows(Station, ["name"], rows)
