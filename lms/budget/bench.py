"""`make bench` figures for the budget: a province-sized ledger and the officer's dashboard queries.

Builds ≥1,000,000 ledger entries at scale 1 (bulk inserted), then times the dashboard's selectors
against bare SQL aggregates that must give the same numbers, and reports the ratio.
"""

import datetime
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

ENTRIES = 1_000_000
SECRETARIES = 20_000
TOWNSHIPS = 40
CLASSES = 300
TRIPS = 30
YEAR = 2026
RATIO_LIMIT = 2.0
ROUNDS = 3


def _table(model) -> str:
    return model._meta.db_table


@transaction.atomic
def build(*, scale: float = 1.0) -> dict:
    """Bulk insert townships, villages, secretaries, their allowances, classes, trips and the ledger."""
    from lms.classes.models import TrainingClass, TrainingMode
    from lms.people.models import County, Person, Post, Township, Village
    from lms.trips.models import Trip

    from .ledger import fund_open
    from .models import Account, CostType, LedgerEntry

    n_entries = max(2_000, round(ENTRIES * scale))
    n_people = max(50, round(SECRETARIES * scale))
    rng = random.Random(11)
    county, _created = County.objects.get_or_create(name="基准省县")
    townships = Township.objects.bulk_create(
        [Township(county=county, name=f"基准乡{i:03d}", sort_order=i) for i in range(TOWNSHIPS)]
    )
    villages = Village.objects.bulk_create(
        [Village(township=townships[i % TOWNSHIPS], name=f"基准村{i:05d}") for i in range(n_people)]
    )
    people = Person.objects.bulk_create([
        Person(name=f"书记{i:05d}", gender="M", birth_year=1975, education="senior", phone=f"17{i:09d}",
               village=villages[i]) for i in range(n_people)
    ], batch_size=2000)
    secretary = Post.objects.get(code="secretary")
    Person.posts.through.objects.bulk_create(
        [Person.posts.through(person_id=p.pk, post_id=secretary.pk) for p in people], batch_size=5000
    )
    accounts = Account.objects.bulk_create(
        [Account(kind=Account.Kind.ALLOWANCE, year=YEAR, person=p) for p in people], batch_size=5000
    )
    fund = fund_open(code="bench-fund", name="基准专项经费", year=YEAR, amount=Decimal("100000000"))
    modes = [m.value for m in TrainingMode]
    classes = TrainingClass.objects.bulk_create([
        TrainingClass(name=f"基准班{i}", year=YEAR, mode=modes[i % len(modes)], starts_on=datetime.date(YEAR, 3, 1),
                      ends_on=datetime.date(YEAR, 3, 3), fee_per_learner=Decimal("20")) for i in range(CLASSES)
    ])
    trips = Trip.objects.bulk_create([
        Trip(title=f"基准考察{i}", starts_on=datetime.date(YEAR, 6, 1), ends_on=datetime.date(YEAR, 6, 4))
        for i in range(TRIPS)
    ])
    costs = [c.value for c in CostType]
    start = timezone.make_aware(datetime.datetime(YEAR, 1, 2))
    columns = ("account_id", "year", "kind", "amount", "cost_type", "person_id", "township_id", "village_id",
               "training_class_id", "trip_id", "memo", "created_at")
    sql = (f"INSERT INTO {_table(LedgerEntry)} ({', '.join(columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    rows = []
    for index, (person, account) in enumerate(zip(people, accounts, strict=True)):
        village = villages[index]
        rows.append((account.pk, YEAR, "grant", "1000.00", "", person.pk, village.township_id, village.pk,
                     None, None, "allowance", start))
    remaining = n_entries - len(rows)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        batch = []
        for i in range(remaining):
            index = rng.randrange(n_people)
            village = villages[index]
            cost_type = costs[i % len(costs)]
            amount = f"-{rng.randint(1, 300)}.{rng.randint(0, 99):02d}"
            on_fund = i % 5 == 0
            batch.append((
                fund.pk if on_fund else accounts[index].pk, YEAR, "charge", amount, cost_type, people[index].pk,
                village.township_id, village.pk,
                classes[i % CLASSES].pk if cost_type == "class_fee" else None,
                trips[i % TRIPS].pk if cost_type == "trip" else None,
                "bench", start + datetime.timedelta(minutes=i % 480_000),
            ))
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return {"entries": n_entries, "people": n_people}


def dashboard_numbers() -> dict:
    """The officer's dashboard numbers through the same selectors the page uses."""
    from . import selectors

    near, idle = selectors.secretaries_tables(year=YEAR)
    tables = {key: fn(year=YEAR, township_id=None) for key, fn in selectors.DASHBOARD_TABLES.items()
              if key != "claims_waiting"}
    summary = selectors.summary_for_year(year=YEAR)
    return {
        "granted": summary.allowance_granted, "used": summary.allowance_used, "fund": summary.fund_spend,
        "by_township": tables["township"].column_total(5), "by_cost_type": tables["cost_type"].column_total(1),
        "by_month": tables["month"].column_total(1), "by_mode": tables["mode"].column_total(1),
        "by_village": tables["village"].column_total(2), "by_class": tables["class"].column_total(2),
        "by_trip": tables["trip"].column_total(3),
        "near": len(near.rows), "idle": len(idle.rows),
    }


def bare_numbers() -> dict:
    """The same numbers from hand-written SQL aggregates."""
    from lms.people.models import Person, Post

    from .models import Account, LedgerEntry

    entry, account = _table(LedgerEntry), _table(Account)
    queries = {
        "summary": f"""SELECT
              SUM(CASE WHEN a.kind='allowance' AND e.cost_type='' THEN e.amount ELSE 0 END),
              SUM(CASE WHEN a.kind='allowance' AND e.cost_type<>'' THEN e.amount ELSE 0 END),
              SUM(CASE WHEN a.kind='fund' AND e.cost_type<>'' THEN e.amount ELSE 0 END)
            FROM {entry} e JOIN {account} a ON a.id = e.account_id WHERE e.year = %s""",
        "township": (f"SELECT township_id, SUM(amount) FROM {entry} WHERE year=%s AND cost_type<>'' "
                     "GROUP BY township_id"),
        "cost_type": f"SELECT cost_type, SUM(amount) FROM {entry} WHERE year=%s AND cost_type<>'' GROUP BY cost_type",
        "village": f"SELECT village_id, SUM(amount) FROM {entry} WHERE year=%s AND cost_type<>'' GROUP BY village_id",
        "class": (f"SELECT training_class_id, SUM(amount) FROM {entry} WHERE year=%s AND cost_type<>'' "
                  "AND training_class_id IS NOT NULL GROUP BY training_class_id"),
        "trip": (f"SELECT trip_id, SUM(amount) FROM {entry} WHERE year=%s AND cost_type<>'' "
                 "AND trip_id IS NOT NULL GROUP BY trip_id"),
        "people": f"""SELECT a.person_id,
              SUM(CASE WHEN e.cost_type='' THEN e.amount ELSE 0 END),
              SUM(CASE WHEN e.cost_type<>'' THEN e.amount ELSE 0 END)
            FROM {entry} e JOIN {account} a ON a.id = e.account_id
            WHERE a.kind='allowance' AND a.year=%s GROUP BY a.person_id""",
        # Every active secretary, with an allowance account or not: one without has spent nothing.
        "secretaries": f"""SELECT COUNT(DISTINCT p.id) FROM {_table(Person)} p
            JOIN {_table(Person.posts.through)} pp ON pp.person_id = p.id
            JOIN {_table(Post)} post ON post.id = pp.post_id
            WHERE post.code = 'secretary' AND p.is_active""",
    }
    results = {}
    with connection.cursor() as cursor:
        for key, sql in queries.items():
            cursor.execute(sql, [YEAR] if "%s" in sql else [])
            results[key] = cursor.fetchall()

    def money(value) -> Decimal:
        return Decimal(str(value or 0)).quantize(Decimal("0.01"))

    granted, used, fund = results["summary"][0]
    spend = -sum(money(v) for _k, v in results["cost_type"])
    near = sum(1 for _p, g, u in results["people"] if money(u) != 0 and -money(u) >= money(g) * Decimal("0.8"))
    spending = sum(1 for _p, _g, u in results["people"] if money(u) != 0)
    idle = results["secretaries"][0][0] - spending
    return {
        "granted": money(granted), "used": -money(used), "fund": -money(fund),
        "by_township": -sum(money(v) for k, v in results["township"] if k is not None), "by_cost_type": spend,
        "by_month": spend, "by_mode": spend, "by_village": -sum(money(v) for _k, v in results["village"]),
        "by_class": -sum(money(v) for _k, v in results["class"]),
        "by_trip": -sum(money(v) for _k, v in results["trip"]),
        "near": near, "idle": idle,
    }


def _best(fn) -> tuple[float, dict]:
    best, value = float("inf"), None
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def run(report, scale: float = 1.0) -> None:
    """Build the ledger, then time the dashboard selectors against bare SQL giving the same numbers."""
    started = time.perf_counter()
    size = build(scale=scale)
    print(f"lms.budget.bench: built {size['entries']:,} ledger entries for {size['people']:,} secretaries "
          f"in {time.perf_counter() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor in ("sqlite", "postgresql") else None
    dashboard_time, dashboard = _best(dashboard_numbers)
    bare_time, bare = _best(bare_numbers)
    if dashboard != bare:
        raise RuntimeError(f"dashboard and bare SQL disagree: {dashboard} != {bare}")
    print(f"lms.budget.bench: dashboard selectors {dashboard_time:.2f}s, bare SQL {bare_time:.2f}s "
          f"(total spend {dashboard['by_cost_type']:,})")
    label = f"{size['entries']:,} ledger entries, {size['people']:,} secretaries"
    report(f"budget dashboard queries / bare SQL aggregates ({label})", dashboard_time / bare_time, RATIO_LIMIT, "x")
