"""One person, found once: caller records grouped into people, with the evidence, and a supervisor's word.

Every request and call makes a caller record of its own, so one person who rang three times has three.
Records are suggested as the same person when they share a name and postcode (as `match_key` folds them)
or a phone number; a supervisor confirms a suggestion or splits it (`CallerLink`), and a split pair is never
suggested again. Export and erasure take only the records confirmed as one person: a suggestion may be a
namesake at the same address, whose data must not go to someone else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.exc import IntegrityError

from service.dao import transactional
from service.dao.audit import record_audit
from service.dao.matching import name_matches, starts_literally
from service.dao.paging import PER_PAGE, Page
from service.extensions import db
from service.geo.phones import EXTENSION_SEPARATOR
from service.models import Call, Caller, CallerLink, LinkDecision, Pack, PaperRequest, PhoneResponse
from service.models.types import utcnow

SAME_NAME_AND_POSTCODE = "same name and postcode"
SAME_PHONE = "same phone number"
CHUNK = 500  # ids or pairs per IN (...): well inside every database's limit on parameters


def evidence_for(a: Caller, b: Caller) -> str:
    """Why two records look like one person ("" when nothing says so)."""
    reasons = []
    if a.name_key and a.postcode and (a.postcode, a.name_key) == (b.postcode, b.name_key):
        reasons.append(SAME_NAME_AND_POSTCODE)
    if a.phone and a.phone == b.phone:
        reasons.append(SAME_PHONE)
    return ", ".join(reasons)


@dataclass(frozen=True)
class Link:
    """Two records of one person: why they are linked, and whether a supervisor confirmed it."""

    caller_id: int
    other_id: int
    evidence: str
    confirmed: bool


@dataclass
class Person:
    """The caller records that are one person, oldest first, and the links that join them."""

    callers: list[Caller]
    links: list[Link] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.callers[0].id

    @property
    def name(self) -> str:
        return next((c.name for c in self.callers if c.name), "")

    @property
    def suggested(self) -> list[Link]:
        return [link for link in self.links if not link.confirmed]

    def confirmed_with(self, caller_id: int) -> list[Caller]:
        """The records confirmed as the same person as `caller_id` (itself included)."""
        joined = defaultdict(set)
        for link in self.links:
            if link.confirmed:
                joined[link.caller_id].add(link.other_id)
                joined[link.other_id].add(link.caller_id)
        seen, todo = {caller_id}, [caller_id]
        while todo:
            for other in joined[todo.pop()] - seen:
                seen.add(other)
                todo.append(other)
        return [c for c in self.callers if c.id in seen]


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _decisions(ids: set[int]) -> dict[tuple[int, int], LinkDecision]:
    found = {}
    for chunk in _chunks(sorted(ids)):
        query = select(CallerLink).where(or_(CallerLink.caller_id.in_(chunk), CallerLink.other_id.in_(chunk)))
        for link in db.session.scalars(query):
            found[(link.caller_id, link.other_id)] = link.decision
    return found


def _neighbours(callers: list[Caller], decisions: dict[tuple[int, int], LinkDecision]) -> list[Caller]:
    """Records sharing a name and postcode or a phone with these, or confirmed as the same person."""
    pairs = sorted({(c.postcode, c.name_key) for c in callers if c.postcode and c.name_key})
    phones = sorted({c.phone for c in callers if c.phone})
    ids = {c.id for c in callers}
    confirmed = {i for pair, d in decisions.items() if d == LinkDecision.CONFIRMED and ids & set(pair) for i in pair}
    found: list[Caller] = []
    live = Caller.erased_at.is_(None)
    for chunk in _chunks(pairs):
        found += db.session.scalars(select(Caller).where(live, tuple_(Caller.postcode, Caller.name_key).in_(chunk)))
    for chunk in _chunks(phones):
        found += db.session.scalars(select(Caller).where(live, Caller.phone.in_(chunk)))
    for chunk in _chunks(sorted(confirmed - ids)):
        found += db.session.scalars(select(Caller).where(live, Caller.id.in_(chunk)))
    return found


def _people(matched: list[Caller]) -> list[Person]:
    """Group matched records, with every record linked to them however far the chain goes, into people."""
    everyone = {c.id: c for c in matched}
    decisions = _decisions(set(everyone))
    frontier = list(matched)
    while frontier:
        new = [c for c in _neighbours(frontier, decisions) if c.id not in everyone]
        everyone.update((c.id, c) for c in new)
        if new:
            decisions.update(_decisions({c.id for c in new}))
        frontier = new
    parent = {i: i for i in everyone}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links: list[Link] = []

    def join(a: Caller, b: Caller, evidence: str) -> None:
        pair = (min(a.id, b.id), max(a.id, b.id))
        decision = decisions.get(pair)
        if decision == LinkDecision.SPLIT:
            return
        links.append(Link(*pair, evidence=evidence, confirmed=decision == LinkDecision.CONFIRMED))
        parent[root(a.id)] = root(b.id)

    by_key: dict[tuple, list[Caller]] = defaultdict(list)
    for caller in sorted(everyone.values(), key=lambda c: c.id):
        if caller.postcode and caller.name_key:
            by_key[("name", caller.postcode, caller.name_key)].append(caller)
        if caller.phone:
            by_key[("phone", caller.phone)].append(caller)
    seen_pairs = set()
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if (a.id, b.id) not in seen_pairs:
                    seen_pairs.add((a.id, b.id))
                    join(a, b, evidence_for(a, b))
    for (a_id, b_id), decision in decisions.items():
        if (
            decision == LinkDecision.CONFIRMED
            and a_id in everyone
            and b_id in everyone
            and (a_id, b_id) not in seen_pairs
        ):
            join(everyone[a_id], everyone[b_id], "confirmed by a supervisor")
    groups: dict[int, Person] = {}
    for caller in sorted(everyone.values(), key=lambda c: (c.created_at, c.id)):
        groups.setdefault(root(caller.id), Person(callers=[])).callers.append(caller)
    for link in links:
        groups[root(link.caller_id)].links.append(link)
    wanted = {root(c.id) for c in matched}
    return [person for key, person in groups.items() if key in wanted]


@dataclass(frozen=True)
class PeopleSearch:
    name: str = ""
    postcode: str = ""
    phone: str | None = None  # E.164
    reference: str | None = None  # ten digits, checked
    page: int = 1


def find_people(search: PeopleSearch, per_page: int = PER_PAGE) -> Page[Person]:
    """Everyone matching any of a name (part), postcode, phone or reference, each person once, every record
    of theirs grouped under them; one page of people and how many there are in all (never cut short)."""
    conditions = []
    if search.name.strip():
        conditions.append(name_matches(Caller.name_key, Caller.name, search.name))
    if search.postcode.strip():
        compact = "".join(search.postcode.split()).upper()
        conditions.append(func.replace(Caller.postcode, " ", "") == compact)
    if search.phone:
        # The number alone also finds it stored with an extension.
        conditions.append(
            or_(Caller.phone == search.phone, starts_literally(Caller.phone, search.phone + EXTENSION_SEPARATOR))
        )
    if search.reference:
        by_pack = select(PaperRequest.caller_id).join(Pack, Pack.request_id == PaperRequest.id)
        by_phone_survey = select(Call.caller_id).join(PhoneResponse, PhoneResponse.first_call_id == Call.id)
        conditions += [
            Caller.id.in_(by_pack.where(Pack.reference == search.reference)),
            Caller.id.in_(by_phone_survey.where(PhoneResponse.reference == search.reference)),
        ]
    if not conditions:
        return Page(items=[], number=1, total=0, per_page=per_page)
    matched = list(db.session.scalars(select(Caller).where(Caller.erased_at.is_(None), or_(*conditions))))
    people = sorted(_people(matched), key=lambda p: (p.name.lower(), p.id))
    pages = max(1, -(-len(people) // per_page))
    number = min(max(1, search.page), pages)
    start = (number - 1) * per_page
    return Page(items=people[start : start + per_page], number=number, total=len(people), per_page=per_page)


def person_of(caller: Caller) -> Person:
    """The person a (not erased) record belongs to, with all their records."""
    return _people([caller])[0]


@transactional
def decide_link(caller: Caller, other: Caller, decision: LinkDecision, actor_id: int) -> None:
    """Record a supervisor's word on two records: one row per pair, a new decision replacing the last.

    Two supervisors deciding at once: the unique pair makes the second an update of the first's row.
    """
    low, high = sorted((caller.id, other.id))
    evidence = evidence_for(caller, other)[:80]
    values = {"decision": decision, "evidence": evidence, "decided_by_id": actor_id, "decided_at": utcnow()}
    existing = db.session.scalar(select(CallerLink).where(CallerLink.caller_id == low, CallerLink.other_id == high))
    if existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(CallerLink(caller_id=low, other_id=high, **values))
        except IntegrityError:
            existing = db.session.scalar(
                select(CallerLink).where(CallerLink.caller_id == low, CallerLink.other_id == high)
            )
    if existing is not None:
        for key, value in values.items():
            setattr(existing, key, value)
    action = "privacy.linked" if decision == LinkDecision.CONFIRMED else "privacy.split"
    record_audit(actor_id, action, "caller", low, also=[("caller", high)], evidence=evidence)
