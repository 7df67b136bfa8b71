#!/usr/bin/env python3
"""Generates the demo council's data: the (fictional) Borough of Eastmere.

Writes eleven CSV files into demo/council/ (see demo/README.md for every column),
and each shipped profile's declarations into demo/council/declarations/<profile>/:

    python3 demo/generate_demo_data.py            # (re)write demo/council/*.csv
    python3 demo/generate_demo_data.py --check    # exit 1 if the files are stale
    python3 demo/generate_demo_data.py --out DIR  # write somewhere else

The output is fully determined by this file and the shipped profiles
(profiles/*.textproto: which designations they name, to whom relationships are
declared): one seeded random generator, no clock, no network, no iteration over
unordered containers. Running it twice gives
byte-identical files. Before anything is written, every row is validated (id
syntax, enumerations, dates, booleans) and every reference between files is
resolved; any failure stops the script with a list of the problems and leaves the
existing files untouched.

Standard library only (Python 3.8+).
"""

import argparse
import csv
import datetime
import io
import os
import random
import re
import sys
import unicodedata

SEED = 20260115
DOMAIN = "eastmere.gov.uk"

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "council")

# --------------------------------------------------------------------------
# File layouts (exact header rows).
# --------------------------------------------------------------------------

COLUMNS = {
    "people.csv": ["hr_id", "display_name", "kind", "email", "start_date", "end_date",
                   "party_group_id", "ward_id", "system_roles"],
    "posts.csv": ["post_id", "title", "service", "reports_to_post_id", "holder_hr_id",
                  "start_date", "is_chief_officer", "is_head_of_service"],
    "designations.csv": ["designation_id", "holder_hr_id", "start_date"],
    "bodies.csv": ["body_id", "display_name", "kind", "parent_body_id"],
    "memberships.csv": ["body_id", "hr_id", "role", "start_date", "end_date"],
    "wards.csv": ["ward_id", "display_name"],
    "party_groups.csv": ["group_id", "display_name", "leader_hr_id",
                         "deputy_leader_hr_id", "whip_hr_id"],
    "portfolios.csv": ["portfolio_id", "display_name", "holder_hr_id", "services"],
    "relationships.csv": ["relationship_id", "member_hr_id", "officer_hr_id", "kind",
                          "declared_on", "declared_to_hr_id", "advice",
                          "advice_by_hr_id", "end_date"],
    "interests.csv": ["interest_id", "member_hr_id", "category", "description",
                      "holder", "registered_on", "sensitive", "matters"],
    "documents.csv": ["record_id", "title", "owning_service",
                      "holding_chief_officer_hr_id", "body_id", "meeting_date",
                      "agenda_item", "ward_ids", "portfolio_id", "party_group_id",
                      "matters", "third_party_personal_data", "status",
                      "exempt_paragraphs"],
}

PERSON_KINDS = ["member", "co-opted-member", "officer", "political-assistant"]
SYSTEM_ROLES = ["administrator", "auditor", "hr-integration", "records-integration"]
BODY_KINDS = ["council", "executive", "committee", "sub-committee",
              "scrutiny-committee", "panel"]
MEMBERSHIP_ROLES = ["chair", "vice-chair", "member", "substitute"]
RELATIONSHIP_KINDS = ["family", "household", "business", "close-personal",
                      "friendship", "working"]
INTEREST_CATEGORIES = ["employment", "sponsorship", "contracts", "land", "licences",
                       "corporate-tenancies", "securities", "other"]
INTEREST_HOLDERS = ["member", "partner"]
DOCUMENT_STATUSES = ["open", "confidential", "exempt", "not-for-publication"]
# Who holds each designation in Eastmere: a post title (its holder) or a
# member role. Every designation a shipped profile names must be here (the
# demo must run under every profile: a designation nobody holds leaves its
# rules unreachable); a profile naming one that is not stops the script.
# Officers' designations come first in designations.csv, then members'.
DESIGNATION_HOLDERS = [
    ("head-of-paid-service", "post", "Chief Executive"),
    ("monitoring-officer", "post", "Director of Legal and Governance"),
    ("deputy-monitoring-officer", "post", "Head of Legal Services"),
    ("chief-finance-officer", "post", "Director of Resources"),
    ("deputy-chief-finance-officer", "post", "Head of Finance"),
    ("head-of-hr", "post", "Head of Human Resources"),
    ("clerk", "post", "Head of Democratic Services"),
    # Sheffield 10.3.2 names the Director of Legal and Governance apart from
    # the Monitoring Officer role the same officer holds.
    ("director-of-legal-and-governance", "post", "Director of Legal and Governance"),
    # Southwark 70: a member, not an officer.
    ("leader-of-the-council", "member", "leader"),
    # South Somerset 10: the Proper Officer for exempt information.
    ("proper-officer", "post", "Head of Information Governance"),
]
DESIGNATION_IDS = [i for i, _, _ in DESIGNATION_HOLDERS]
MEMBER_DESIGNATIONS = [i for i, kind, _ in DESIGNATION_HOLDERS if kind == "member"]
PROFILES_DIR = os.path.join(os.path.dirname(HERE), "profiles")

ID_RE = re.compile(r"^[a-z][a-z0-9-]{2,62}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def d(s):
    """Parses an ISO date string (YYYY-MM-DD)."""
    return datetime.date.fromisoformat(s)


def iso(day):
    return day.isoformat()


def slug(text):
    """ASCII, lower-case, hyphen-separated form of a name ("Siobhán O'Neill" ->
    "siobhan-oneill")."""
    ascii_text = (unicodedata.normalize("NFKD", text)
                  .encode("ascii", "ignore").decode("ascii"))
    ascii_text = ascii_text.lower().replace("'", "").replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def email_for(name, prefix=""):
    local = slug(name).replace("-", ".")
    return f"{prefix}{local}@{DOMAIN}"


def random_date(rng, start, end):
    """A uniformly random date in [start, end] (date objects)."""
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def working_day_on_or_after(day):
    """Moves a date off weekends and the fixed-date bank holidays (people start
    jobs on working days)."""
    while day.weekday() >= 5 or (day.month, day.day) in ((12, 25), (12, 26), (1, 1)):
        day += datetime.timedelta(days=1)
    return day


# --------------------------------------------------------------------------
# Names: clusters keep first names and surnames plausible together; a share
# of people get a first name from another cluster (as in real life).
# --------------------------------------------------------------------------

NAME_CLUSTERS = [
    # (weight, first names, surnames)
    (40,
     ["Alice", "Andrew", "Anna", "Ben", "Catherine", "Charlotte", "Chloe", "Claire",
      "Daniel", "David", "Deborah", "Eleanor", "Elliot", "Emily", "Emma", "George",
      "Grace", "Hannah", "Harriet", "Helen", "Hollie", "Janet", "Jennifer", "Joanna",
      "Karen", "Kerry", "Laura", "Leah", "Lucy", "Margaret", "Matthew", "Megan",
      "Michael", "Nathan", "Naomi", "Olivia", "Paula", "Peter", "Rachel", "Rebecca",
      "Robert", "Rosie", "Ruth", "Samuel", "Sarah", "Simon", "Sophie", "Tom",
      "Victoria", "Zoë"],
     ["Atkinson", "Baker", "Barker", "Bennett", "Bradley", "Butler", "Cartwright",
      "Clarke", "Clarke-Hughes", "Dunn", "Edwards", "Ellis", "Field", "Fletcher",
      "Foster", "Fox", "Grant", "Hale", "Harrison", "Hayes", "Holloway", "Jenkins",
      "Lane", "Lowe", "Marsh", "Morris", "Moss", "Nash", "Palmer", "Pearson", "Price",
      "Robinson", "Saunders", "Shaw", "Thompson", "Turner", "Ward", "Webb", "Wright"]),
    (4,
     ["Winston", "Marcia", "Delroy", "Shanice", "Leon", "Jermaine", "Beverley"],
     ["Campbell", "Grant", "Thompson", "Francis", "Henry", "Brown", "Morgan"]),
    (8,
     ["Gareth", "Rhys", "Bethan", "Owen", "Dylan", "Nia", "Aled", "Bronwen", "Siân",
      "Emyr"],
     ["Jones", "Davies", "Evans", "Hughes", "Williams", "Lewis", "Griffiths", "Morgan",
      "Parry", "Rees", "Lloyd", "Pritchard"]),
    (7,
     ["Callum", "Isla", "Fiona", "Kirsty", "Stuart", "Euan", "Morag", "Ewan"],
     ["MacLeod", "Campbell", "Fraser", "Anderson", "Stewart", "Sutherland", "Kerr",
      "Reid", "McKenzie"]),
    (7,
     ["Siobhán", "Niamh", "Patrick", "Liam", "Ciarán", "Kieran", "Connor", "Aoife",
      "Declan"],
     ["Murphy", "O'Neill", "Walsh", "Doyle", "Brennan", "Kelly", "Gallagher", "Flynn",
      "Quinn", "O'Connor"]),
    (10,
     ["Mohammed", "Aisha", "Imran", "Fatima", "Yusuf", "Amir", "Zainab", "Tariq",
      "Ibrahim", "Ayesha", "Hamza", "Rukhsana", "Faisal", "Shabana", "Hassan",
      "Maryam", "Nadia", "Bilal"],
     ["Khan", "Begum", "Ahmed", "Hussain", "Chaudhry", "Ali", "Iqbal", "Rahman",
      "Malik", "Mahmood", "Choudhury", "Akhtar", "Khatun", "Noor"]),
    (8,
     ["Priya", "Harjit", "Raj", "Dev", "Anjali", "Sunil", "Arjun", "Sanjay",
      "Gurpreet", "Vikram", "Nikhil", "Ravi", "Meera", "Kiran", "Jaspreet"],
     ["Patel", "Singh", "Kaur", "Mistry", "Sharma", "Gill", "Sandhu", "Bhatt",
      "Banerjee", "Kapoor", "Dhillon", "Rana", "Parmar"]),
    (7,
     ["Ada", "Oluwaseun", "Kwame", "Kofi", "Chidi", "Amara", "Ifeoma", "Adebayo",
      "Femi", "Joy", "Abena", "Tunde", "Yaa"],
     ["Okafor", "Osei", "Mensah", "Adeyemi", "Boateng", "Nwosu", "Ogunleye", "Asante",
      "Owusu", "Obi", "Ibe", "Okoro"]),
    (4,
     ["Marek", "Ewa", "Tomasz", "Piotr", "Agnieszka", "Kasia"],
     ["Nowak", "Wójcik", "Kaczmarek", "Mazur", "Lis"]),
    (3,
     ["Wei", "Mei", "Jun", "Li", "Hui"],
     ["Chen", "Wong", "Lam", "Zhang", "Liu"]),
    (2,
     ["Emre", "Elif", "Deniz", "João", "Inês"],
     ["Yilmaz", "Demir", "Ferreira", "Costa"]),
]


class NamePool:
    """Hands out unique, plausible full names."""

    MAX_PER_SURNAME = 2          # hyphenated surnames: 1

    def __init__(self, rng, reserved):
        self._rng = rng
        self._used = {slug(n) for n in reserved}
        self._surnames = {}
        for n in reserved:   # nobody else shares a reserved person's surname
            self._surnames[n.split(" ", 1)[1]] = self.MAX_PER_SURNAME
        self._weights = [c[0] for c in NAME_CLUSTERS]

    def _count(self, surname):
        self._surnames[surname] = self._surnames.get(surname, 0) + 1

    def take(self):
        for _ in range(10000):
            cluster = self._rng.choices(NAME_CLUSTERS, weights=self._weights)[0]
            surname = self._rng.choice(cluster[2])
            if self._rng.random() < 0.12:
                other = self._rng.choices(NAME_CLUSTERS, weights=self._weights)[0]
                first = self._rng.choice(other[1])
            else:
                first = self._rng.choice(cluster[1])
            name = f"{first} {surname}"
            limit = 1 if "-" in surname else self.MAX_PER_SURNAME
            if slug(name) not in self._used and \
                    self._surnames.get(surname, 0) < limit:
                self._used.add(slug(name))
                self._count(surname)
                return name
        raise RuntimeError("name pool exhausted")


# --------------------------------------------------------------------------
# Fixed reference data: wards, groups, organisation.
# --------------------------------------------------------------------------

# (ward_id, display name, parties of its three members)
WARDS = [
    ("abbey", "Abbey", ["lab", "lab", "lab"]),
    ("ashdown", "Ashdown", ["con", "con", "con"]),
    ("castle-hill", "Castle Hill", ["ld", "ld", "ld"]),
    ("fenwick-and-marsh", "Fenwick and Marsh", ["ind", "ind", "ind"]),
    ("ferryside", "Ferryside", ["lab", "lab", "lab"]),
    ("harbour", "Harbour", ["lab", "lab", "lab"]),
    ("holmefield", "Holmefield", ["con", "con", "con"]),
    ("kingsmead", "Kingsmead", ["con", "con", "con"]),
    ("larkrise", "Larkrise", ["ld", "ld", "ld"]),
    ("millbrook", "Millbrook", ["lab", "lab", "lab"]),
    ("northgate", "Northgate", ["lab", "lab", "lab"]),
    ("old-town", "Old Town", ["lab", "lab", "lab"]),
    ("riverside", "Riverside", ["lab", "lab", "lab"]),
    ("saltings", "Saltings", ["lab", "lab", "lab"]),
    ("st-marys", "St Mary's", ["lab", "lab", "lab"]),
    ("westcliff", "Westcliff", ["con", "con", "con"]),
    ("wyke-green", "Wyke Green", ["lab", "con", "ld"]),
]

GROUPS = [
    # (short key, group_id, display name)
    ("lab", "eastmere-labour", "Eastmere Labour Group"),
    ("con", "eastmere-conservative", "Eastmere Conservative Group"),
    ("ld", "eastmere-liberal-democrat", "Eastmere Liberal Democrat Group"),
    ("ind", "eastmere-independent", "Eastmere Independent Group"),
]
GROUP_ID = {k: gid for k, gid, _ in GROUPS}

# Management structure. Each directorate: (directorate service id, director title,
# [heads of service]). Each head of service: (service id, title, [teams]). Each
# team: (manager title, [officer post titles]). Every post below a head of service
# carries that head of service's service id.
CE_SERVICE = "chief-executives-office"
CE_TEAMS = [
    ("policy-and-communications", "Head of Policy and Communications", [
        ("Communications Manager", ["Communications Officer", "Policy Officer"]),
    ]),
]
CE_DIRECT_REPORTS = ["Executive Assistant to the Chief Executive"]

DIRECTORATES = [
    ("place", "Director of Place", [
        ("planning", "Head of Planning and Building Control", [
            ("Development Management Manager",
             ["Principal Planning Officer", "Senior Planning Officer",
              "Planning Officer", "Planning Officer", "Planning Enforcement Officer"]),
            ("Planning Policy Manager",
             ["Senior Planning Policy Officer", "Planning Policy Officer"]),
        ]),
        ("highways", "Head of Highways and Transport", [
            ("Highways Maintenance Manager",
             ["Highways Engineer", "Highways Inspector", "Highways Inspector"]),
            ("Transport Planning Manager", ["Transport Planner"]),
        ]),
        ("waste", "Head of Waste and Environmental Services", [
            ("Waste Operations Manager",
             ["Waste Services Supervisor", "Recycling Officer",
              "Waste Contracts Officer"]),
        ]),
        ("licensing", "Head of Licensing and Regulatory Services", [
            ("Licensing Manager",
             ["Senior Licensing Officer", "Licensing Officer",
              "Licensing Enforcement Officer"]),
            ("Environmental Health Manager",
             ["Environmental Health Officer", "Food Safety Officer"]),
        ]),
    ]),
    ("people", "Director of People (Children and Adults)", [
        ("childrens-social-care", "Head of Children's Social Care", [
            ("Safeguarding and Assessment Team Manager",
             ["Senior Social Worker", "Social Worker", "Social Worker"]),
            ("Children in Care Team Manager",
             ["Social Worker", "Family Support Worker"]),
        ]),
        ("adult-social-care", "Head of Adult Social Care", [
            ("Adult Social Care Team Manager",
             ["Senior Social Worker", "Social Worker", "Occupational Therapist"]),
        ]),
        ("education", "Head of Education and Skills", [
            ("School Organisation Manager",
             ["School Place Planning Officer", "Admissions Officer"]),
            ("SEND Manager", ["SEND Caseworker", "SEND Caseworker"]),
        ]),
    ]),
    ("resources", "Director of Resources", [
        ("finance", "Head of Finance", [
            ("Chief Accountant", ["Senior Accountant", "Accountant", "Finance Officer"]),
            ("Internal Audit Manager", ["Senior Internal Auditor", "Internal Auditor"]),
            ("Procurement Manager", ["Procurement Officer"]),
        ]),
        ("revenues-and-benefits", "Head of Revenues and Benefits", [
            ("Revenues Manager",
             ["Council Tax Officer", "Business Rates Officer", "Recovery Officer"]),
            ("Benefits Manager", ["Benefits Assessor", "Benefits Assessor"]),
        ]),
        ("human-resources", "Head of Human Resources", [
            ("HR Operations Manager", ["HR Adviser", "HR Adviser", "HR Systems Officer"]),
            ("Payroll Manager", ["Payroll Officer"]),
        ]),
        ("ict", "Head of ICT and Digital", [
            ("ICT Infrastructure Manager",
             ["ICT Systems Administrator", "Network Engineer"]),
        ]),
    ]),
    ("legal-and-governance", "Director of Legal and Governance", [
        ("legal", "Head of Legal Services", [
            ("Principal Lawyer (Property and Planning)", ["Solicitor", "Paralegal"]),
            ("Principal Lawyer (People)", ["Solicitor"]),
        ]),
        ("democratic-services", "Head of Democratic Services", [
            ("Democratic Services Manager",
             ["Democratic Services Officer", "Democratic Services Officer",
              "Scrutiny Officer", "Member Support Officer"]),
            ("Electoral Services Manager", ["Electoral Services Officer"]),
        ]),
        ("information-governance", "Head of Information Governance", [
            ("Information Governance Manager",
             ["Freedom of Information Officer", "Records Manager"]),
        ]),
    ]),
    ("housing", "Director of Housing", [
        ("housing-needs", "Head of Housing Needs", [
            ("Housing Options Manager",
             ["Housing Options Officer", "Housing Options Officer",
              "Homelessness Prevention Officer"]),
        ]),
        ("housing-management", "Head of Housing Management", [
            ("Tenancy Services Manager",
             ["Tenancy Officer", "Tenancy Officer"]),
            ("Repairs Manager", ["Repairs Surveyor"]),
        ]),
        ("private-sector-housing", "Head of Private Sector Housing", [
            ("Private Sector Housing Manager",
             ["Housing Standards Officer", "Housing Standards Officer"]),
        ]),
    ]),
]

# Posts with fixed holders (post title -> hr_id, system roles) and vacancies.
SYSTEM_ACCOUNT_POSTS = {
    "ICT Systems Administrator": ("it-admin", "administrator"),
    "Senior Internal Auditor": ("audit-reader", "auditor"),
}
SYSTEM_ROLE_POSTS = {  # ordinary officers who also hold a system role
    "HR Systems Officer": "hr-integration",
    "Records Manager": "records-integration",
}
VACANT_POST_IDS = ["planning-officer-2", "social-worker-3"]
OFFICER_LEAVER_POST = "planning-officer-2"   # the leaver's old post, now vacant
OFFICER_LEAVER_END = "2025-08-29"

PORTFOLIOS = [
    # (portfolio_id, display name, services)
    ("leader-and-corporate-strategy", "Leader and Corporate Strategy",
     ["policy-and-communications"]),
    ("finance-and-resources", "Finance and Resources",
     ["finance", "revenues-and-benefits", "human-resources", "ict"]),
    ("planning-and-regeneration", "Planning and Regeneration", ["planning"]),
    ("environment-and-transport", "Environment and Transport", ["highways", "waste"]),
    ("children-and-education", "Children and Education",
     ["childrens-social-care", "education"]),
    ("adult-social-care-and-health", "Adult Social Care and Health",
     ["adult-social-care"]),
    ("housing", "Housing",
     ["housing-needs", "housing-management", "private-sector-housing"]),
    ("communities-and-regulatory-services", "Communities and Regulatory Services",
     ["licensing"]),
    ("governance-and-customer-services", "Governance and Customer Services",
     ["legal", "democratic-services", "information-governance"]),
]

BODIES = [
    # (body_id, display name, kind, parent)
    ("full-council", "Full Council", "council", ""),
    ("executive", "Executive (Cabinet)", "executive", ""),
    ("planning-committee", "Planning Committee", "committee", "full-council"),
    ("planning-sub-committee", "Planning Sub-Committee", "sub-committee",
     "planning-committee"),
    ("licensing-committee", "Licensing Committee", "committee", "full-council"),
    ("licensing-sub-committee", "Licensing Sub-Committee", "sub-committee",
     "licensing-committee"),
    ("audit-and-standards-committee", "Audit and Standards Committee", "committee",
     "full-council"),
    ("overview-and-scrutiny-management-committee",
     "Overview and Scrutiny Management Committee", "scrutiny-committee",
     "full-council"),
    ("children-and-adults-scrutiny-sub-committee",
     "Children and Adults Scrutiny Sub-Committee", "scrutiny-committee",
     "overview-and-scrutiny-management-committee"),
    ("place-and-housing-scrutiny-sub-committee",
     "Place and Housing Scrutiny Sub-Committee", "scrutiny-committee",
     "overview-and-scrutiny-management-committee"),
    ("chief-officer-appointments-committee", "Chief Officer Appointments Committee",
     "committee", "full-council"),
    ("appeals-panel", "Appeals Panel", "panel", "full-council"),
    # Middlesbrough 19.6 sends an officer's complaint about a member to it.
    ("standards-hearings-sub-committee", "Standards Hearings Sub-Committee",
     "sub-committee", "audit-and-standards-committee"),
]

ELECTION_STARTS = ["2015-05-11", "2019-05-06", "2023-05-08"]   # took office
ANNUAL_COUNCIL_2023 = "2023-05-24"
ANNUAL_COUNCIL_2024 = "2024-05-22"
ANNUAL_COUNCIL_2025 = "2025-05-21"

MEMBER_LEAVER_WARD = "kingsmead"
MEMBER_LEAVER_END = "2025-01-31"           # resigned
BY_ELECTION_START = "2025-03-31"           # by-election 27 March 2025

MATTERS = {
    "matter-eastmere-retail-park": "Eastmere Retail Park redevelopment",
    "matter-harbour-road-land-sale": "Disposal of council land at Harbour Road",
    "matter-leisure-centre-contract": "Leisure management contract",
    "matter-waste-collection-contract": "Waste collection contract extension",
    "matter-northgate-business-centre": "Northgate Business Centre leases",
    "matter-ferryman-inn-licence-review": "Review of premises licence, The Ferryman Inn",
    "matter-castle-hill-school-expansion": "Expansion of Castle Hill Primary School",
    "matter-local-plan-review": "Eastmere Local Plan review",
    "matter-riverside-flood-defences": "Riverside flood defence scheme",
    "matter-taxi-licensing-policy": "Hackney carriage and private hire licensing policy",
}


# --------------------------------------------------------------------------
# Generation.
# --------------------------------------------------------------------------

class Council:
    """All tables of the demo council, as lists of dicts keyed by column."""

    def __init__(self):
        self.rng = random.Random(SEED)
        self.tables = {name: [] for name in COLUMNS}
        self.people = {}          # hr_id -> row
        self.demo = {}            # label -> hr_id, for the README/summary
        self.names = NamePool(self.rng, ["Ada Okafor", "James Whitaker"])

    # -- helpers ----------------------------------------------------------

    def add_person(self, hr_id, name, kind, start, end="", group="", ward="",
                   roles="", email=None):
        if hr_id in self.people:
            raise RuntimeError(f"duplicate hr_id {hr_id}")
        row = {
            "hr_id": hr_id, "display_name": name, "kind": kind,
            "email": email if email is not None else email_for(
                name, "cllr." if kind == "member" else ""),
            "start_date": start, "end_date": end, "party_group_id": group,
            "ward_id": ward, "system_roles": roles,
        }
        self.people[hr_id] = row
        self.tables["people.csv"].append(row)
        return row

    # -- members ------------------------------------------------------------

    def make_members(self):
        rng = self.rng
        self.members_by_group = {k: [] for k, _, _ in GROUPS}
        self.ward_members = {}
        first_lab_ward_seat = True
        for ward_id, ward_name, parties in WARDS:
            self.tables["wards.csv"].append(
                {"ward_id": ward_id, "display_name": ward_name})
            self.ward_members[ward_id] = []
            for seat, party in enumerate(parties):
                if party == "lab" and first_lab_ward_seat:
                    name = "Ada Okafor"       # the leader; see common.proto examples
                    first_lab_ward_seat = False
                else:
                    name = self.names.take()
                hr_id = "cllr-" + slug(name)
                if ward_id == MEMBER_LEAVER_WARD and seat == 2:
                    # Seat vacated in January 2025; by-election in March 2025.
                    leaver = self.names.take()
                    lid = "cllr-" + slug(leaver)
                    self.add_person(lid, leaver, "member", "2019-05-06",
                                    end=MEMBER_LEAVER_END, group=GROUP_ID[party],
                                    ward=ward_id)
                    self.demo["member_leaver"] = lid
                    start = BY_ELECTION_START
                else:
                    start = rng.choice(ELECTION_STARTS)
                self.add_person(hr_id, name, "member", start, group=GROUP_ID[party],
                                ward=ward_id)
                self.members_by_group[party].append(hr_id)
                self.ward_members[ward_id].append(hr_id)

    def make_coopted_and_assistants(self):
        self.coopted = []
        for start in ["2024-07-01", "2024-09-16"]:
            name = self.names.take()
            hr_id = "coopt-" + slug(name)
            self.add_person(hr_id, name, "co-opted-member", start)
            self.coopted.append(hr_id)
        self.assistants = {}
        for key, start in [("lab", "2023-06-12"), ("con", "2023-07-03"),
                           ("ld", "2024-01-08")]:
            name = self.names.take()
            hr_id = "pa-" + slug(name)
            self.add_person(hr_id, name, "political-assistant", start,
                            group=GROUP_ID[key])
            self.assistants[key] = hr_id

    # -- officers and posts -------------------------------------------------

    def make_posts(self):
        rng = self.rng
        posts = self.tables["posts.csv"]
        self.post_by_id = {}
        self.service_director = {}   # service id -> hr_id of its chief officer
        self.service_head = {}       # service id -> hr_id of its head of service
        self.post_of = {}            # hr_id -> post row
        self.holder_by_title = {}    # first holder of a title -> hr_id
        seen_ids = {}

        def post_id_for(title):
            base = slug(title)
            n = seen_ids.get(base, 0) + 1
            seen_ids[base] = n
            return base if n == 1 else f"{base}-{n}"

        def add_post(title, service, reports_to, level, fixed_name=None):
            pid = post_id_for(title)
            holder, start = "", ""
            if pid == OFFICER_LEAVER_POST:
                name = self.names.take()
                lid = "off-" + slug(name)
                self.add_person(lid, name, "officer", "2021-10-04",
                                end=OFFICER_LEAVER_END)
                self.demo["officer_leaver"] = lid
            if pid not in VACANT_POST_IDS:
                if title in SYSTEM_ACCOUNT_POSTS:
                    name = self.names.take()
                    holder, roles = SYSTEM_ACCOUNT_POSTS[title]
                else:
                    name = fixed_name or self.names.take()
                    holder, roles = "off-" + slug(name), SYSTEM_ROLE_POSTS.get(title, "")
                # Seniors have been with the council longer, on average.
                earliest = {"ce": 2004, "director": 2000, "head": 1998}.get(level, 1996)
                joined = working_day_on_or_after(random_date(
                    rng, datetime.date(earliest, 1, 1), datetime.date(2025, 6, 30)))
                in_post = working_day_on_or_after(random_date(
                    rng, joined, datetime.date(2025, 11, 28)))
                if level == "ce":
                    joined, in_post = datetime.date(2019, 9, 2), datetime.date(2019, 9, 2)
                self.add_person(holder, name, "officer", iso(joined), roles=roles)
                start = iso(in_post)
                self.holder_by_title.setdefault(title, holder)
            row = {
                "post_id": pid, "title": title, "service": service,
                "reports_to_post_id": reports_to, "holder_hr_id": holder,
                "start_date": start,
                "is_chief_officer": "true" if level in ("ce", "director") else "false",
                "is_head_of_service": "true" if level == "head" else "false",
            }
            posts.append(row)
            self.post_by_id[pid] = row
            if holder:
                self.post_of[holder] = row
            return row

        self.service_name = {}       # service id -> name, e.g. "Adult Social Care"

        def add_head(service, title, teams, parent_post, chief_hr):
            self.service_name[service] = title.replace("Head of ", "", 1)
            head = add_post(title, service, parent_post["post_id"], "head")
            self.service_director[service] = chief_hr
            self.service_head[service] = head["holder_hr_id"]
            for manager_title, officer_titles in teams:
                manager = add_post(manager_title, service, head["post_id"], "manager")
                for officer_title in officer_titles:
                    add_post(officer_title, service, manager["post_id"], "officer")

        ce = add_post("Chief Executive", CE_SERVICE, "", "ce",
                      fixed_name="James Whitaker")
        self.ce = ce["holder_hr_id"]
        self.service_director[CE_SERVICE] = self.ce
        self.directors = {}
        for dir_service, dir_title, heads in DIRECTORATES:
            director = add_post(dir_title, dir_service, ce["post_id"], "director")
            self.directors[dir_service] = director["holder_hr_id"]
            self.service_director[dir_service] = director["holder_hr_id"]
            for service, title, teams in heads:
                add_head(service, title, teams, director, director["holder_hr_id"])
        for service, title, teams in CE_TEAMS:
            add_head(service, title, teams, ce, self.ce)
        for title in CE_DIRECT_REPORTS:
            add_post(title, "policy-and-communications", ce["post_id"], "officer")

    def make_designations(self):
        """Officers' designations; members' ones follow the executive."""
        by_title = self.holder_by_title
        self.designation = {}
        for designation_id, kind, title in DESIGNATION_HOLDERS:
            if kind != "post":
                continue
            hr_id = self.ce if title == "Chief Executive" else by_title[title]
            post_start = d(self.post_of[hr_id]["start_date"])
            start = max(post_start, d("2020-04-01")) if designation_id in (
                "deputy-monitoring-officer", "deputy-chief-finance-officer",
                "clerk", "proper-officer") else post_start
            self.tables["designations.csv"].append(
                {"designation_id": designation_id, "holder_hr_id": hr_id,
                 "start_date": iso(start)})
            self.designation[designation_id] = hr_id

    def make_member_designations(self):
        """The Leader of the Council, chosen at the 2023 annual meeting."""
        holders = {"leader": self.leader}
        for designation_id, kind, role in DESIGNATION_HOLDERS:
            if kind != "member":
                continue
            self.tables["designations.csv"].append(
                {"designation_id": designation_id, "holder_hr_id": holders[role],
                 "start_date": ANNUAL_COUNCIL_2023})
            self.designation[designation_id] = holders[role]

    # -- party groups, executive, portfolios --------------------------------

    def make_groups_and_executive(self):
        rng = self.rng
        lab = self.members_by_group["lab"]
        leader = "cllr-ada-okafor"
        others = [m for m in lab if m != leader]
        rng.shuffle(others)
        cabinet = others[:8]
        self.executive = [leader] + cabinet
        self.leader, self.deputy_leader = leader, cabinet[0]
        non_exec_lab = others[8:]
        self.mayor, self.lab_whip = non_exec_lab[0], non_exec_lab[1]
        self.group_officers = {"lab": (leader, cabinet[0], self.lab_whip)}
        for key in ["con", "ld", "ind"]:
            pool = list(self.members_by_group[key])
            rng.shuffle(pool)
            whip = pool[2] if key != "ind" else ""   # the independents have no whip
            self.group_officers[key] = (pool[0], pool[1], whip)
        self.deputy_mayor = [m for m in self.members_by_group["con"]
                             if m not in self.group_officers["con"]][0]
        for key, group_id, name in GROUPS:
            lead, deputy, whip = self.group_officers[key]
            self.tables["party_groups.csv"].append(
                {"group_id": group_id, "display_name": name, "leader_hr_id": lead,
                 "deputy_leader_hr_id": deputy, "whip_hr_id": whip})
        # Leader takes the first portfolio, deputy leader finance and resources.
        self.portfolio_holder = {}
        for (pid, name, services), holder in zip(PORTFOLIOS, self.executive):
            self.tables["portfolios.csv"].append(
                {"portfolio_id": pid, "display_name": name, "holder_hr_id": holder,
                 "services": ";".join(services)})
            self.portfolio_holder[pid] = holder
        self.portfolio_of_service = {s: pid for pid, _, ss in PORTFOLIOS for s in ss}

    # -- memberships --------------------------------------------------------

    def make_memberships(self):
        rng = self.rng
        rows = self.tables["memberships.csv"]
        self.seats = {}        # body -> list of (hr_id, role) current

        def add(body, hr_id, role, start, end=""):
            rows.append({"body_id": body, "hr_id": hr_id, "role": role,
                         "start_date": start, "end_date": end})
            if not end:
                self.seats.setdefault(body, []).append((hr_id, role))

        # Full council: every member, the mayor in the chair.
        for p in self.tables["people.csv"]:
            if p["kind"] != "member":
                continue
            role = ("chair" if p["hr_id"] == self.mayor else
                    "vice-chair" if p["hr_id"] == self.deputy_mayor else "member")
            add("full-council", p["hr_id"], role, p["start_date"], p["end_date"])
        # Executive: the leader chairs, the deputy leader is vice-chair.
        for hr_id in self.executive:
            role = ("chair" if hr_id == self.leader else
                    "vice-chair" if hr_id == self.deputy_leader else "member")
            add("executive", hr_id, role, ANNUAL_COUNCIL_2023)

        load = {}                # hr_id -> committee seats so far
        order = {}               # stable tie-breaker per member
        current_members = [p["hr_id"] for p in self.tables["people.csv"]
                           if p["kind"] == "member" and not p["end_date"]]
        shuffled = list(current_members)
        rng.shuffle(shuffled)
        for i, m in enumerate(shuffled):
            order[m], load[m] = i, 0
        group_of = {m: self.people[m]["party_group_id"] for m in current_members}
        sizes = {k: len(self.members_by_group[k]) for k, _, _ in GROUPS}
        total = sum(sizes.values())
        excluded = set(self.executive) | {self.mayor}

        def allocate(size):
            """Seats per group by largest remainder (political balance)."""
            quotas = {k: size * sizes[k] / total for k in sizes}
            seats = {k: int(q) for k, q in quotas.items()}
            rest = size - sum(seats.values())
            for k in sorted(quotas, key=lambda k: (-(quotas[k] - seats[k]), k))[:rest]:
                seats[k] += 1
            return seats

        def pick(key, n, avoid):
            pool = [m for m in self.members_by_group[key]
                    if m not in avoid and m not in excluded]
            pool.sort(key=lambda m: (load[m], order[m]))
            chosen = pool[:n]
            if len(chosen) < n:
                raise RuntimeError(f"not enough {key} members to fill seats")
            for m in chosen:
                load[m] += 1
            return chosen

        def committee(body, size, chair_group, vice_group, start, substitutes=0,
                      must_include=()):
            seats = allocate(size)
            chosen = list(must_include)
            for m in must_include:
                seats[[k for k, g in GROUP_ID.items() if g == group_of[m]][0]] -= 1
            for key, _, _ in GROUPS:
                chosen += pick(key, seats[key], chosen)
            chair = next(m for m in chosen if group_of[m] == GROUP_ID[chair_group])
            vice = next(m for m in chosen
                        if group_of[m] == GROUP_ID[vice_group] and m != chair)
            for m in chosen:
                role = "chair" if m == chair else "vice-chair" if m == vice else "member"
                add(body, m, role, start)
            subs = []
            for key in ["lab", "con"][:substitutes]:
                subs += pick(key, 1, chosen + subs)
            for m in subs:
                add(body, m, "substitute", start)
            return chosen

        def sub_committee(body, parent_members, size, start):
            """Draws a politically balanced sub-committee from the parent's members;
            a Labour member chairs."""
            seats = allocate(size)
            pool = list(parent_members)
            rng.shuffle(pool)
            chosen = []
            for key, gid, _ in GROUPS:
                chosen += [m for m in pool if group_of[m] == gid][:seats[key]]
            chosen.sort(key=lambda m: (0 if group_of[m] == GROUP_ID["lab"] else 1,
                                       order[m]))
            for i, m in enumerate(chosen):
                add(body, m, "chair" if i == 0 else "vice-chair" if i == 1 else "member",
                    start)
            return chosen

        a25 = ANNUAL_COUNCIL_2025
        planning = committee("planning-committee", 13, "lab", "lab", a25, substitutes=2)
        sub_committee("planning-sub-committee", planning, 5, a25)
        licensing = committee("licensing-committee", 13, "lab", "con", a25,
                              substitutes=2)
        sub_committee("licensing-sub-committee", licensing, 3, a25)
        committee("audit-and-standards-committee", 9, "ld", "lab", a25)
        for hr_id, start in zip(self.coopted, ["2024-07-01", "2024-09-16"]):
            add("audit-and-standards-committee", hr_id, "member", start)
        committee("overview-and-scrutiny-management-committee", 13, "con", "lab", a25)
        committee("children-and-adults-scrutiny-sub-committee", 9, "lab", "ld", a25)
        committee("place-and-housing-scrutiny-sub-committee", 9, "lab", "con", a25)
        committee("chief-officer-appointments-committee", 9, "lab", "con", a25,
                  must_include=(self.leader, self.deputy_leader))
        committee("appeals-panel", 5, "lab", "con", a25, substitutes=2)
        # The hearings sub-committee: the first three elected members of Audit
        # and Standards, drawn without the random generator so that adding it
        # left every other row as it was.
        hearings = sorted((m for m, _ in self.seats["audit-and-standards-committee"]
                           if m not in self.coopted), key=order.get)[:3]
        for m, role in zip(hearings, ["chair", "vice-chair", "member"]):
            add("standards-hearings-sub-committee", m, role, a25)

        # One ended membership: a member who sat on planning in 2024/25 and was
        # replaced at the 2025 annual meeting.
        on_planning = {m for m, _ in self.seats["planning-committee"]} | {
            m for m, _ in self.seats["planning-sub-committee"]}
        former = next(m for m in sorted(self.members_by_group["con"], key=order.get)
                      if m not in on_planning and m not in excluded)
        add("planning-committee", former, "member", ANNUAL_COUNCIL_2024,
            end=iso(d(ANNUAL_COUNCIL_2025) - datetime.timedelta(days=1)))
        self.demo["former_planning_member"] = former
        # Sort: by body in BODIES order, then role, then hr_id.
        body_order = {b[0]: i for i, b in enumerate(BODIES)}
        role_order = {r: i for i, r in enumerate(MEMBERSHIP_ROLES)}
        rows.sort(key=lambda r: (body_order[r["body_id"]], role_order[r["role"]],
                                 r["end_date"] != "", r["hr_id"]))

    def body_members(self, body, roles=("chair", "vice-chair", "member")):
        return [m for m, r in self.seats.get(body, []) if r in roles]

    # -- declarations -------------------------------------------------------

    def make_relationships(self):
        appeals = self.body_members("appeals-panel")
        lab_non_exec = [m for m in self.members_by_group["lab"]
                        if m not in self.executive and m != self.mayor]
        # Harbour's members are kept free of relationships: the README's demo
        # "ward member" and "non-member of planning" come from that ward.
        used = list(self.ward_members["harbour"])

        def fresh(candidates):
            """The first candidate not yet given a relationship."""
            m = next(c for c in candidates if c not in used)
            used.append(m)
            return m
        mo, ce = self.designation["monitoring-officer"], self.ce
        t = self.holder_by_title
        planning_rel_member = fresh(
            [m for m, r in self.seats["planning-committee"]
             if r == "member" and m != self.demo.get("retail_member")])
        self.demo["relationship_member"] = planning_rel_member
        self.demo["relationship_officer"] = t["Principal Planning Officer"]
        rels = [
            (planning_rel_member, t["Principal Planning Officer"], "family",
             "2025-05-27", ce,
             "Siblings. The member must not take part in any planning decision on "
             "which this officer is the case officer or has advised; the Head of "
             "Planning will allocate cases accordingly.", mo, ""),
            (fresh(self.members_by_group["ld"][1:]), t["Housing Options Officer"],
             "household",
             "2024-02-12", ce,
             "Partners sharing a household. Housing casework from the member must "
             "be routed through the Housing Options Manager, never to this officer.",
             mo, ""),
            (fresh(self.members_by_group["con"][3:]), t["Network Engineer"],
             "business",
             "2023-06-19", mo,
             "Co-directors of a community interest company. Declare at any meeting "
             "considering ICT contracts; no other restriction.", mo, ""),
            (fresh(lab_non_exec[3:]), t["Solicitor"], "close-personal",
             "2024-03-04", mo,
             "Close personal relationship. Member not to instruct or seek advice "
             "from this officer; legal advice to come via the Head of Legal Services.",
             mo, "2025-06-30"),
            (fresh(appeals[1:]), t["HR Adviser"], "friendship", "2025-06-02", mo,
             "Close friends. The member must stand down from any appeal or "
             "appointment panel at which this officer is a party, witness or adviser.",
             mo, ""),
            (fresh(self.members_by_group["ind"]), t["Benefits Manager"], "working",
             "2023-05-30", ce,
             "Worked together at Eastmere Citizens Advice until 2022. Member should "
             "not sit on an appeal hearing involving this officer.", ce, ""),
        ]
        for i, (member, officer, kind, declared, to, advice, by, end) in enumerate(
                rels, start=1):
            self.tables["relationships.csv"].append({
                "relationship_id": f"rel-{i:03d}", "member_hr_id": member,
                "officer_hr_id": officer, "kind": kind, "declared_on": declared,
                "declared_to_hr_id": to, "advice": advice, "advice_by_hr_id": by,
                "end_date": end})

    def make_interests(self):
        rng = self.rng
        licensing = self.body_members("licensing-committee")
        lab = self.members_by_group["lab"]
        con = self.members_by_group["con"]
        ld = self.members_by_group["ld"]
        ind = self.members_by_group["ind"]
        wards = self.ward_members
        # A Labour planning committee member (not the chair) whose partner works
        # for the developer of Eastmere Retail Park.
        retail_member = next(m for m, r in self.seats["planning-committee"]
                             if r == "member" and self.people[m]["party_group_id"]
                             == GROUP_ID["lab"])
        self.demo["retail_member"] = retail_member
        licensee = next(m for m in licensing if m in con)
        harbour_owner = wards["harbour"][1]
        rows = [
            (retail_member, "employment",
             "Partner employed as development manager by Brackenridge Developments "
             "Ltd, promoter of the Eastmere Retail Park redevelopment",
             "partner", "2025-04-14", False, ["matter-eastmere-retail-park"]),
            (retail_member, "land",
             "Residential property (home), Millbrook ward", "member", "2023-05-30",
             False, []),
            (harbour_owner, "land",
             "Freehold of 2 Quay Cottages, Harbour Road, which adjoins the council "
             "land proposed for disposal", "member", "2023-05-30", False,
             ["matter-harbour-road-land-sale"]),
            (con[4], "contracts",
             "Director of Eastmere Leisure Trust CIC, bidder for the leisure "
             "management contract", "member", "2025-09-08", False,
             ["matter-leisure-centre-contract"]),
            (licensee, "licences",
             "Premises licence holder and designated premises supervisor, The "
             "Ferryman Inn, Quay Street", "member", "2023-05-30", False,
             ["matter-ferryman-inn-licence-review"]),
            (ld[2], "corporate-tenancies",
             "Director of Okoro Print Ltd, tenant of Unit 4, Northgate Business "
             "Centre (council-owned)", "member", "2023-06-01", False,
             ["matter-northgate-business-centre"]),
            (ind[1], "securities",
             "Shares above £25,000 nominal value in Coastway Environmental plc, the "
             "council's waste collection contractor", "partner", "2024-11-20", False,
             ["matter-waste-collection-contract"]),
            (lab[5], "employment",
             "Teaching assistant, Castle Hill Primary School", "member", "2023-05-30",
             False, ["matter-castle-hill-school-expansion"]),
            (wards["riverside"][0], "land",
             "Residential property (home), Riverside Walk, within the flood defence "
             "scheme area", "member", "2023-05-30", False,
             ["matter-riverside-flood-defences"]),
            (con[0], "land",
             "Agricultural land at Holme Farm, Holmefield, put forward as a site in "
             "the local plan call for sites", "member", "2023-05-30", False,
             ["matter-local-plan-review"]),
            (ind[2], "licences",
             "Private hire vehicle driver's licence", "member", "2023-06-05", False,
             ["matter-taxi-licensing-policy"]),
            # Two sensitive interests (withheld from the public register).
            (wards["ashdown"][1], "land",
             "Residential property (home) - address withheld: disclosure could lead "
             "to violence or intimidation", "member", "2023-05-30", True, []),
            (lab[9], "employment",
             "Employment with a domestic abuse refuge provider - employer withheld "
             "on the Monitoring Officer's advice", "member", "2024-01-15", True, []),
        ]
        # Ordinary register entries without matters.
        employers = [
            "Self-employed electrician", "Lecturer, Eastmere College",
            "Solicitor, Hartley & Crane LLP", "Nurse, Eastmere General Hospital",
            "Shop manager, Marsh Lane Co-operative",
            "Software developer, Tidewater Systems Ltd", "Part-time bookkeeper",
            "Pharmacist, Wyke Green Pharmacy", "Self-employed driving instructor",
            "Customer adviser, Coastal Building Society",
        ]
        others = [
            ("sponsorship", "Contribution towards election expenses from {party} "
             "(May 2023 election)"),
            ("other", "Trustee, Eastmere Foodbank"),
            ("other", "School governor, St Mary's Church of England Primary School"),
            ("licences", "Allotment tenancy, Fenwick Road allotments (council)"),
            ("land", "Residential property (home), {ward} ward"),
            ("other", "Member, Eastmere Harbour Board"),
            ("land", "Residential property (home), {ward} ward"),
        ]
        parties = {GROUP_ID["lab"]: "Eastmere Constituency Labour Party",
                   GROUP_ID["con"]: "Eastmere Conservative Association",
                   GROUP_ID["ld"]: "Eastmere Liberal Democrats"}
        members = sorted((p["hr_id"] for p in self.tables["people.csv"]
                          if p["kind"] == "member" and not p["end_date"]))
        rng.shuffle(members)
        for m, employer in zip(members[:9], rng.sample(employers, 9)):
            start = d(self.people[m]["start_date"])
            registered = working_day_on_or_after(
                random_date(rng, start, start + datetime.timedelta(days=25)))
            rows.append((m, "employment", employer, "member", iso(registered),
                         False, []))
        for m, (category, text) in zip(members[9:16], rng.sample(others, 7)):
            party = parties.get(self.people[m]["party_group_id"])
            if party is None and "{party}" in text:
                category, text = "other", "Member, Eastmere Civic Society"
            ward = next(w[1] for w in WARDS if w[0] == self.people[m]["ward_id"])
            rows.append((m, category, text.format(party=party, ward=ward),
                         "member", "2023-05-30", False, []))
        rows.append((self.coopted[0], "employment",
                     "Partner, Fenton Audit LLP (chartered accountants)", "member",
                     "2024-07-01", False, []))
        for i, (m, cat, desc, holder, reg, sensitive, matters) in enumerate(
                rows, start=1):
            reg = max(d(reg), d(self.people[m]["start_date"]))
            self.tables["interests.csv"].append({
                "interest_id": f"int-{i:03d}", "member_hr_id": m, "category": cat,
                "description": desc, "holder": holder, "registered_on": iso(reg),
                "sensitive": "true" if sensitive else "false",
                "matters": ";".join(matters)})

    # -- documents ----------------------------------------------------------

    def make_documents(self):
        rng = self.rng
        docs = self.tables["documents.csv"]
        ward_name = {w[0]: w[1] for w in WARDS}
        ward_ids = [w[0] for w in WARDS]
        counter = [0]

        def add(title, service, body="", meeting="", item="", wards=(), portfolio="",
                group="", matters=(), third_party=False, status="open", paras=()):
            counter[0] += 1
            docs.append({
                "record_id": f"rec-{counter[0]:06d}", "title": title,
                "owning_service": service,
                "holding_chief_officer_hr_id": self.service_director[service],
                "body_id": body, "meeting_date": meeting, "agenda_item": item,
                "ward_ids": ";".join(wards), "portfolio_id": portfolio,
                "party_group_id": group, "matters": ";".join(matters),
                "third_party_personal_data": "true" if third_party else "false",
                "status": status,
                "exempt_paragraphs": ";".join(str(p) for p in paras)})

        def meetings(first, weeks, count):
            start = d(first)
            return [iso(start + datetime.timedelta(weeks=weeks * i))
                    for i in range(count)]

        def long_date(s):
            day = d(s)
            return f"{day.day} {day.strftime('%B')} {day.year}"

        streets = ["Mill Lane", "Church Street", "Station Road", "Victoria Road",
                   "Chapel Lane", "Park Avenue", "Elm Grove", "Greenway",
                   "Beech Road", "Tanners Lane", "Ropewalk", "Sandpiper Close",
                   "Heron Way", "Willow Crescent", "Cooper's Row", "Market Place",
                   "Orchard Way", "The Parade", "Kiln Lane", "Sea View Road"]
        proposals = [   # (application type suffix, description)
            ("HOU", "erection of two-storey rear extension"),
            ("HOU", "single-storey side extension and loft conversion"),
            ("COU", "change of use from offices (Class E) to 9 flats"),
            ("COU", "change of use of shop to hot food takeaway (sui generis)"),
            ("OUT", "outline application for up to 24 dwellings with access"),
            ("FUL", "demolition of garage and erection of detached dwelling"),
            ("FUL", "installation of 15m telecommunications mast"),
            ("FUL", "erection of single-storey retail unit with 40 parking spaces"),
            ("ADV", "replacement shopfront and illuminated signage"),
            ("VAR", "variation of condition 3 (opening hours) of planning "
                    "permission"),
        ]

        # ---- Planning committee: applications, reports + background papers.
        for n, meeting in enumerate(meetings("2026-01-15", 4, 6)):
            item = 5
            apps = []
            if n == 1:
                apps.append(("25/01872/OUT",
                             "Eastmere Retail Park, Millbrook Way, Millbrook",
                             "outline application for demolition of retail units and "
                             "mixed-use redevelopment of up to 350 homes, retail and "
                             "leisure floorspace", "millbrook",
                             ["matter-eastmere-retail-park"]))
            if n == 3:
                apps.append(("26/00311/FUL", "Land at Harbour Road, Harbour",
                             "erection of 48 flats following disposal of council "
                             "land", "harbour", ["matter-harbour-road-land-sale"]))
            while len(apps) < 4:
                ward = rng.choice(ward_ids)
                kind, proposal = rng.choice(proposals)
                ref = f"{rng.choice(['25', '26'])}/{rng.randint(100, 2400):05d}/{kind}"
                site = f"{rng.randint(1, 140)} {rng.choice(streets)}, {ward_name[ward]}"
                apps.append((ref, site, proposal, ward, []))
            for ref, site, proposal, ward, matters in apps:
                add(f"Planning application {ref} – {site}: {proposal}", "planning",
                    "planning-committee", meeting, str(item), [ward],
                    matters=matters)
                papers = ["Consultation responses"]
                if matters:
                    papers += ["Site plan and drawings"]
                if matters == ["matter-eastmere-retail-park"]:
                    papers += ["Transport assessment", "Retail impact assessment"]
                for paper in papers:
                    add(f"{paper} – {ref}", "planning", "planning-committee",
                        meeting, str(item), [ward], matters=matters)
                item += 1
            add(f"Planning enforcement update, {long_date(meeting)}", "planning",
                "planning-committee", meeting, str(item), status="exempt",
                paras=[6, 7], third_party=True)
        # ---- Planning sub-committee (site visits / minor items).
        for meeting in meetings("2026-02-05", 8, 3):
            ward = rng.choice(ward_ids)
            ref = f"26/{rng.randint(100, 900):05d}/HOU"
            add(f"Householder application {ref} – {rng.randint(1, 90)} "
                f"{rng.choice(streets)}, {ward_name[ward]}", "planning",
                "planning-sub-committee", meeting, "4", [ward])
            add(f"Site visit notes – {ref}", "planning", "planning-sub-committee",
                meeting, "4", [ward])
            add(f"Tree preservation order objections – {ward_name[ward]}",
                "planning", "planning-sub-committee", meeting, "5", [ward],
                third_party=True)

        # ---- Licensing committee and hearings.
        lic_items = [
            ("Review of hackney carriage and private hire licensing policy",
             ["matter-taxi-licensing-policy"]),
            ("Statement of licensing policy (Licensing Act 2003) – consultation "
             "results", []),
            ("Gambling Act 2005 statement of principles 2026-2029", []),
            ("Licensing fees and charges 2026/27", []),
            ("Hackney carriage fare review", ["matter-taxi-licensing-policy"]),
            ("Street trading consent policy", []),
        ]
        for n, meeting in enumerate(meetings("2026-01-20", 10, 3)):
            for i, (title, matters) in enumerate(lic_items[2 * n:2 * n + 2]):
                add(title, "licensing", "licensing-committee", meeting, str(5 + i),
                    matters=matters)
                add(f"Consultation responses – {title.split(' – ')[0]}", "licensing",
                    "licensing-committee", meeting, str(5 + i), matters=matters,
                    third_party=True)
            add("Licensing enforcement activity report", "licensing",
                "licensing-committee", meeting, "7", status="exempt", paras=[7])
        for n, meeting in enumerate(meetings("2026-01-27", 3, 5)):
            if n == 2:
                add("Review of premises licence: The Ferryman Inn, Quay Street, "
                    "Harbour", "licensing", "licensing-sub-committee", meeting, "3",
                    ["harbour"], matters=["matter-ferryman-inn-licence-review"],
                    third_party=True)
                add("Police evidence bundle – The Ferryman Inn review", "licensing",
                    "licensing-sub-committee", meeting, "3", ["harbour"],
                    matters=["matter-ferryman-inn-licence-review"], third_party=True,
                    status="exempt", paras=[1, 2, 7])
            else:
                case = f"LIC-26-{rng.randint(10, 99):03d}"
                add(f"Suitability of private hire driver to hold a licence ({case})",
                    "licensing", "licensing-sub-committee", meeting, "3",
                    third_party=True, status="exempt", paras=[1, 2, 7])
                ward = rng.choice(ward_ids)
                add(f"Application for a new premises licence – {rng.randint(1, 80)} "
                    f"{rng.choice(streets)}, {ward_name[ward]}", "licensing",
                    "licensing-sub-committee", meeting, "4", [ward], third_party=True)

        # ---- Executive.
        exec_items = [
            ("finance", "Revenue budget and medium-term financial strategy 2026/27",
             [], "open", []),
            ("finance", "Capital programme 2026/27 to 2030/31", [], "open", []),
            ("planning", "Eastmere Retail Park: council land interest and section 106 "
             "heads of terms", ["matter-eastmere-retail-park"], "exempt", [3]),
            ("planning", "Eastmere Local Plan review: preferred options consultation",
             ["matter-local-plan-review"], "open", []),
            ("legal", "Disposal of land at Harbour Road (Part A)",
             ["matter-harbour-road-land-sale"], "open", []),
            ("legal", "Disposal of land at Harbour Road (Part B): valuation and "
             "bids", ["matter-harbour-road-land-sale"], "exempt", [3]),
            ("finance", "Award of leisure management contract",
             ["matter-leisure-centre-contract"], "exempt", [3]),
            ("waste", "Waste collection contract: extension to 2030",
             ["matter-waste-collection-contract"], "open", []),
            ("education", "Castle Hill Primary School expansion: outcome of "
             "statutory proposals", ["matter-castle-hill-school-expansion"], "open",
             []),
            ("highways", "Riverside flood defence scheme: funding and delivery",
             ["matter-riverside-flood-defences"], "open", []),
            ("finance", "Northgate Business Centre: lease renewals and rent review",
             ["matter-northgate-business-centre"], "exempt", [3]),
            ("housing-management", "Housing revenue account business plan 2026", [],
             "open", []),
            ("housing-needs", "Homelessness and rough sleeping strategy 2026-2031", [],
             "open", []),
            ("adult-social-care", "Adult social care charging policy review", [],
             "open", []),
            ("childrens-social-care", "Sufficiency strategy for children in care", [],
             "open", []),
            ("ict", "Digital strategy 2026-2029", [], "open", []),
            ("revenues-and-benefits", "Council tax reduction scheme 2026/27", [],
             "open", []),
            ("human-resources", "Pay policy statement 2026/27", [], "open", []),
            ("policy-and-communications", "Corporate plan performance report, quarter "
             "3", [], "open", []),
            ("private-sector-housing", "Selective licensing scheme: Northgate and "
             "Old Town", [], "open", []),
            ("highways", "Highways capital maintenance programme 2026/27", [], "open",
             []),
            ("waste", "Garden waste charges 2026/27", [], "open", []),
            ("education", "School admission arrangements 2027/28", [], "open", []),
            ("legal", "Acquisition of 14-16 Castle Street for regeneration", [],
             "exempt", [3, 5]),
        ]
        item_wards = {"matter-harbour-road-land-sale": ["harbour"],
                      "matter-riverside-flood-defences": ["riverside", "ferryside"],
                      "matter-eastmere-retail-park": ["millbrook"],
                      "matter-castle-hill-school-expansion": ["castle-hill"],
                      "matter-northgate-business-centre": ["northgate"]}
        for n, meeting in enumerate(meetings("2026-01-13", 4, 6)):
            for i, (service, title, matters, status, paras) in enumerate(
                    exec_items[4 * n:4 * n + 4]):
                wards = item_wards.get(matters[0], []) if matters else []
                portfolio = self.portfolio_of_service[service]
                add(title, service, "executive", meeting, str(6 + i), wards,
                    portfolio, matters=matters, status=status, paras=paras)
                if rng.random() < 0.25 or matters:
                    paper = "Equality impact assessment" if status == "open" else \
                        "Valuation and commercial appraisal"
                    add(f"{paper} – {title}", service, "executive", meeting,
                        str(6 + i), wards, portfolio, matters=matters,
                        status=status, paras=paras)

        # ---- Full council.
        council_meetings = [   # (date, [(service, title, matters)])
            ("2026-01-28", [
                ("democratic-services", "Amendments to the constitution", []),
                ("democratic-services", "Motions on notice", []),
            ]),
            ("2026-02-25", [
                ("finance", "Budget and council tax setting 2026/27", []),
                ("finance", "Treasury management strategy 2026/27", []),
            ]),
            ("2026-04-22", [
                ("planning", "Eastmere Local Plan review: approval for submission",
                 ["matter-local-plan-review"]),
                ("legal", "Annual report of the Monitoring Officer", []),
            ]),
            ("2026-05-20", [
                ("democratic-services", "Appointments to committees and outside "
                 "bodies 2026/27", []),
                ("democratic-services", "Members' allowances scheme 2026/27", []),
            ]),
        ]
        for meeting, items in council_meetings:
            for i, (service, title, matters) in enumerate(items):
                add(title, service, "full-council", meeting, str(7 + i),
                    matters=matters)
                if title.startswith("Budget"):
                    add(f"{title} – section 25 report of the Chief Finance Officer",
                        service, "full-council", meeting, str(7 + i))

        # ---- Audit and standards.
        audit_items = [
            ("finance", "Internal audit progress report", "open", [], False),
            ("finance", "External auditor's annual report 2024/25", "open", [], False),
            ("finance", "Strategic risk register", "open", [], False),
            ("legal", "Code of conduct complaints: quarterly summary", "open", [],
             False),
            ("finance", "Counter-fraud investigation update", "exempt", [1, 7], True),
            ("information-governance", "Information governance annual report",
             "open", [], False),
            ("legal", "Standards hearing: complaint SC-25-007 against a member",
             "exempt", [1, 2], True),
            ("finance", "Annual governance statement 2025/26 (draft)", "open", [],
             False),
            ("finance", "Statement of accounts 2024/25: audit findings", "open", [],
             False),
            ("legal", "Review of the members' code of conduct", "open", [], False),
            ("finance", "Procurement waivers and breaches", "exempt", [3], False),
            ("finance", "Internal audit plan 2026/27", "open", [], False),
        ]
        audit_reports = rng.sample(["payroll", "creditors", "ICT access controls",
                                    "housing rents", "council tax", "grants"], 4)
        for n, meeting in enumerate(meetings("2026-01-21", 8, 4)):
            for i, (service, title, status, paras, tp) in enumerate(
                    audit_items[3 * n:3 * n + 3]):
                add(title, service, "audit-and-standards-committee", meeting,
                    str(5 + i), status=status, paras=paras, third_party=tp)
            add(f"Internal audit report: {audit_reports[n]}", "finance",
                "audit-and-standards-committee", meeting, "8")

        # ---- Scrutiny.
        osmc_items = [
            ("policy-and-communications", "Call-in: Disposal of land at Harbour Road",
             ["matter-harbour-road-land-sale"], ["harbour"]),
            ("finance", "Budget scrutiny: 2026/27 proposals", [], []),
            ("democratic-services", "Scrutiny work programme 2026/27", [], []),
            ("policy-and-communications", "Corporate performance, quarter 3", [], []),
            ("revenues-and-benefits", "Council tax collection performance", [], []),
            ("ict", "Customer contact and digital services review", [], []),
            ("waste", "Call-in: Waste collection contract extension",
             ["matter-waste-collection-contract"], []),
            ("democratic-services", "Annual scrutiny report", [], []),
        ]
        for n, meeting in enumerate(meetings("2026-01-29", 6, 4)):
            for i, (service, title, matters, wards) in enumerate(
                    osmc_items[2 * n:2 * n + 2]):
                add(title, service, "overview-and-scrutiny-management-committee",
                    meeting, str(5 + i), wards, matters=matters)
                add(f"Evidence pack – {title}", service,
                    "overview-and-scrutiny-management-committee", meeting,
                    str(5 + i), wards, matters=matters)
        cas_items = [
            ("childrens-social-care", "Ofsted focused visit: draft findings",
             "confidential", [], False),
            ("childrens-social-care", "Children in care: placement sufficiency",
             "open", [], False),
            ("education", "Castle Hill Primary School expansion: pre-decision "
             "scrutiny", "open", ["matter-castle-hill-school-expansion"], False),
            ("adult-social-care", "Adult safeguarding board annual report", "open",
             [], False),
            ("adult-social-care", "Care home market sustainability", "open", [],
             False),
            ("education", "SEND transport review", "open", [], False),
            ("childrens-social-care", "Case review of a looked after child",
             "exempt", [], True),
            ("adult-social-care", "Hospital discharge and reablement", "open", [],
             False),
            ("education", "Attainment gap report 2025", "open", [], False),
        ]
        for n, meeting in enumerate(meetings("2026-02-03", 7, 3)):
            for i, (service, title, status, matters, tp) in enumerate(
                    cas_items[3 * n:3 * n + 3]):
                wards = ["castle-hill"] if matters else []
                add(title, service, "children-and-adults-scrutiny-sub-committee",
                    meeting, str(5 + i), wards, matters=matters, status=status,
                    paras=[1, 2] if status == "exempt" else [], third_party=tp)
                if i != 0 and not matters:
                    continue
                add(f"Background paper – {title}", service,
                    "children-and-adults-scrutiny-sub-committee", meeting, str(5 + i),
                    wards, matters=matters, status=status,
                    paras=[1, 2] if status == "exempt" else [], third_party=tp)
        phs_items = [
            ("housing-management", "Damp and mould: progress on remedial works",
             "open", []),
            ("housing-needs", "Temporary accommodation costs", "open", []),
            ("highways", "Riverside flood defence scheme: pre-decision scrutiny",
             "open", ["matter-riverside-flood-defences"]),
            ("waste", "Recycling performance and fly-tipping", "open", []),
            ("private-sector-housing", "Houses in multiple occupation enforcement",
             "open", []),
            ("planning", "Local plan review: housing land supply",
             "open", ["matter-local-plan-review"]),
            ("housing-management", "Tenant satisfaction measures 2025/26", "open",
             []),
            ("highways", "Pothole repair performance", "open", []),
            ("licensing", "Food hygiene inspection programme", "open", []),
        ]
        for n, meeting in enumerate(meetings("2026-02-10", 7, 3)):
            for i, (service, title, status, matters) in enumerate(
                    phs_items[3 * n:3 * n + 3]):
                wards = ["riverside", "ferryside"] if \
                    matters == ["matter-riverside-flood-defences"] else []
                add(title, service, "place-and-housing-scrutiny-sub-committee",
                    meeting, str(5 + i), wards, matters=matters, status=status)
                if i != 0 and not matters:
                    continue
                add(f"Background paper – {title}", service,
                    "place-and-housing-scrutiny-sub-committee", meeting, str(5 + i),
                    wards, matters=matters, status=status)

        # ---- Chief officer appointments and appeals (personal data, exempt).
        for meeting, title in [("2026-03-10", "Appointment of Director of Housing "
                                "(on the postholder's retirement): shortlisting"),
                               ("2026-03-24", "Appointment of Director of Housing "
                                "(on the postholder's retirement): interviews and "
                                "recommendation")]:
            add(title, "human-resources", "chief-officer-appointments-committee",
                meeting, "4", third_party=True, status="exempt", paras=[1, 2])
            add(f"Candidate pack – {title}", "human-resources",
                "chief-officer-appointments-committee", meeting, "4",
                third_party=True, status="exempt", paras=[1, 2])
        add("Job description and person specification: Director of Housing",
            "human-resources", "chief-officer-appointments-committee", "2026-03-10",
            "3")
        for meeting in meetings("2026-02-17", 6, 3):
            case = f"HR-AP-26-{rng.randint(1, 40):03d}"
            for side in ("management", "appellant's"):
                add(f"Dismissal appeal {case}: {side} statement of case",
                    "human-resources", "appeals-panel", meeting, "3",
                    third_party=True, status="exempt", paras=[1, 2, 4])

        # ---- Ward matters (no meeting).
        ward_topics = [
            ("highways", "Residents' petition: traffic calming on {street}", False,
             "open"),
            ("highways", "Highway inspection report – {street}, {ward}", False,
             "open"),
            ("waste", "Fly-tipping hotspots in {ward}: action plan", False, "open"),
            ("housing-management", "Anti-social behaviour casework summary, {street} "
             "estate", True, "confidential"),
            ("licensing", "Noise complaints log – {street}, {ward}", True,
             "confidential"),
            ("planning", "Conservation area appraisal – {ward}", False, "open"),
            ("policy-and-communications", "Ward profile 2025: {ward}", False, "open"),
            ("private-sector-housing", "Housing conditions survey – {street}", True,
             "confidential"),
            ("highways", "Parking review consultation – {ward}", False, "open"),
            ("democratic-services", "Ward member budget 2025/26 – {ward}", False,
             "open"),
        ]
        for i in range(26):
            service, pattern, tp, status = ward_topics[i % len(ward_topics)]
            ward = ward_ids[(i * 7) % len(ward_ids)]
            wards = [ward]
            if rng.random() < 0.15:
                wards.append(rng.choice([w for w in ward_ids if w != ward]))
            add(pattern.format(street=rng.choice(streets), ward=ward_name[ward]),
                service, wards=wards, third_party=tp, status=status)
        add("Harbour Road land: residents' representations", "legal", wards=["harbour"],
            matters=["matter-harbour-road-land-sale"], third_party=True,
            status="confidential")
        add("Riverside flood defences: property-level survey results", "highways",
            wards=["riverside"], matters=["matter-riverside-flood-defences"],
            third_party=True, status="confidential")
        add("Eastmere Retail Park: community engagement summary", "planning",
            wards=["millbrook"], matters=["matter-eastmere-retail-park"])

        # ---- Portfolio briefings.
        briefing_topics = [   # (topic, status)
            ("Budget pressures and savings options", "not-for-publication"),
            ("Risks and issues for the portfolio holder", "confidential"),
        ]
        for pid, name, services in PORTFOLIOS:
            for j, (topic, status) in enumerate(briefing_topics):
                service = services[j % len(services)]
                add(f"Portfolio briefing ({name}): {topic}", service,
                    portfolio=pid, status=status)
        add("Portfolio briefing (Planning and Regeneration): Eastmere Retail Park "
            "negotiations", "planning", portfolio="planning-and-regeneration",
            matters=["matter-eastmere-retail-park"], status="not-for-publication")
        add("Portfolio briefing (Environment and Transport): waste contract options",
            "waste", portfolio="environment-and-transport",
            matters=["matter-waste-collection-contract"], status="not-for-publication")

        # ---- Party-group internal documents (democratic services supports them).
        group_docs = [
            "agenda and notes of group meeting, {date}",
            "whip's note for full council, {date}",
            "budget amendment – working draft",
            "policy paper on town centre priorities",
            "briefing from the political assistant, {date}",
        ]
        for key, group_id, name in GROUPS:
            short = name.replace("Eastmere ", "").replace(" Group", "")
            for j, pattern in enumerate(group_docs):
                if key == "ind" and ("whip" in pattern or "assistant" in pattern):
                    continue   # no whip, no political assistant
                when = long_date(iso(d("2026-01-12") + datetime.timedelta(weeks=3 * j)))
                add(f"{short} Group: {pattern.format(date=when)}",
                    "democratic-services", group=group_id,
                    status="not-for-publication")

        # ---- HR case files (third parties' personal data).
        case_kinds = ["grievance", "disciplinary investigation", "sickness absence",
                      "capability review", "flexible working request",
                      "whistleblowing investigation"]
        services = sorted(self.service_head)
        for i in range(14):
            kind = case_kinds[i % len(case_kinds)]
            team = self.service_name[rng.choice(services)]
            add(f"HR case file HR-2026-{i + 1:03d}: {kind} ({team})",
                "human-resources", third_party=True, status="confidential")

        # ---- Other service documents (no meeting, need-to-know).
        misc = [
            ("legal", "Legal advice: Harbour Road disposal and best consideration",
             ["matter-harbour-road-land-sale"], "exempt", [5], False),
            ("legal", "Counsel's opinion: Eastmere Retail Park planning obligations",
             ["matter-eastmere-retail-park"], "exempt", [5], False),
            ("finance", "Leisure management contract: tender evaluation matrix",
             ["matter-leisure-centre-contract"], "confidential", [], False),
            ("waste", "Coastway Environmental plc: contract performance data",
             ["matter-waste-collection-contract"], "confidential", [], False),
            ("information-governance", "Freedom of information request log, "
             "quarter 4 2025", [], "open", [], True),
            ("information-governance", "Records retention schedule 2026", [], "open",
             [], False),
            ("highways", "Highways asset management plan 2026-2031", [], "open", [],
             False),
            ("childrens-social-care", "Child protection case conference minutes "
             "(anonymised sample)", [], "confidential", [], True),
            ("adult-social-care", "Safeguarding adults review: executive summary",
             [], "confidential", [], True),
            ("revenues-and-benefits", "Business rates relief applications, January "
             "2026", [], "confidential", [], True),
            ("ict", "Cyber security incident report 2025-11", [], "confidential", [],
             False),
            ("housing-needs", "Homelessness casework audit", [], "confidential", [],
             True),
            ("education", "Castle Hill Primary School: feasibility study",
             ["matter-castle-hill-school-expansion"], "open", [], False),
            ("licensing", "The Ferryman Inn: licensing officer's file notes",
             ["matter-ferryman-inn-licence-review"], "confidential", [], True),
            ("finance", "Northgate Business Centre: tenancy schedule and arrears",
             ["matter-northgate-business-centre"], "confidential", [], True),
            ("democratic-services", "Register of members' interests: annual "
             "reminder", [], "open", [], False),
        ]
        for service, title, matters, status, paras, tp in misc:
            add(title, service, matters=matters, status=status, paras=paras,
                third_party=tp)

    def generate(self):
        self.make_members()
        self.make_coopted_and_assistants()
        self.make_posts()
        self.make_designations()
        self.make_groups_and_executive()
        self.make_member_designations()
        self.make_memberships()
        self.make_interests()
        self.make_relationships()
        self.make_documents()
        self.tables["bodies.csv"] = [
            {"body_id": b, "display_name": n, "kind": k, "parent_body_id": p}
            for b, n, k, p in BODIES]
        self.tables["people.csv"].sort(key=lambda r: (
            PERSON_KINDS.index(r["kind"]), r["hr_id"]))
        self.demo.update({
            "leader": self.leader,
            "chief_executive": self.ce,
            "monitoring_officer": self.designation["monitoring-officer"],
            "planning_member": self.demo["retail_member"],
            "political_assistant": self.assistants["lab"],
        })
        planning_any = {m for b in ("planning-committee", "planning-sub-committee")
                        for m, _ in self.seats[b]} | {
            self.demo["former_planning_member"]}
        with_interests = {r["member_hr_id"] for r in self.tables["interests.csv"]}
        self.demo["non_planning_member"] = next(
            m for m in self.ward_members["harbour"]
            if m not in planning_any and m not in with_interests and m != self.mayor)
        self.demo["ward_member_harbour"] = self.demo["non_planning_member"]
        return self.tables


# --------------------------------------------------------------------------
# Validation: everything is checked before anything is written.
# --------------------------------------------------------------------------

def validate(tables):
    errors = []

    def err(table, i, msg):
        errors.append(f"{table} row {i + 2}: {msg}")   # +2: header is line 1

    def index(table, key):
        seen = {}
        for i, r in enumerate(tables[table]):
            if r[key] in seen:
                err(table, i, f"duplicate {key} {r[key]!r}")
            seen[r[key]] = r
        return seen

    # Shape, ids, dates, enums, booleans.
    id_columns = {"hr_id", "post_id", "reports_to_post_id", "holder_hr_id",
                  "designation_id", "body_id", "parent_body_id", "ward_id",
                  "group_id", "party_group_id", "leader_hr_id", "deputy_leader_hr_id",
                  "whip_hr_id", "portfolio_id", "relationship_id", "member_hr_id",
                  "officer_hr_id", "declared_to_hr_id", "advice_by_hr_id",
                  "interest_id", "record_id", "owning_service", "service",
                  "holding_chief_officer_hr_id"}
    list_id_columns = {"ward_ids", "matters", "services"}
    date_columns = {"start_date", "end_date", "declared_on", "registered_on",
                    "meeting_date"}
    bool_columns = {"is_chief_officer", "is_head_of_service", "sensitive",
                    "third_party_personal_data"}
    for table, columns in COLUMNS.items():
        for i, r in enumerate(tables[table]):
            if list(r.keys()) != columns:
                err(table, i, f"columns {list(r.keys())} != {columns}")
                continue
            for c, v in r.items():
                if not isinstance(v, str):
                    err(table, i, f"{c} is not a string")
                    continue
                if v != v.strip() or "\n" in v or "\r" in v:
                    err(table, i, f"{c} has surrounding whitespace or a line break")
                if c in id_columns and v and not ID_RE.match(v):
                    err(table, i, f"{c} {v!r} is not a valid id")
                if c in list_id_columns and v:
                    parts = v.split(";")
                    if any(not ID_RE.match(p) for p in parts):
                        err(table, i, f"{c} {v!r} has an invalid id")
                    if len(set(parts)) != len(parts):
                        err(table, i, f"{c} {v!r} repeats an id")
                if c in date_columns and v:
                    try:
                        if not DATE_RE.match(v):
                            raise ValueError
                        d(v)
                    except ValueError:
                        err(table, i, f"{c} {v!r} is not a YYYY-MM-DD date")
                if c in bool_columns and v not in ("true", "false"):
                    err(table, i, f"{c} {v!r} is not true/false")
    if errors:
        return errors

    people = index("people.csv", "hr_id")
    posts = index("posts.csv", "post_id")
    bodies = index("bodies.csv", "body_id")
    wards = index("wards.csv", "ward_id")
    groups = index("party_groups.csv", "group_id")
    portfolios = index("portfolios.csv", "portfolio_id")
    index("designations.csv", "designation_id")
    index("relationships.csv", "relationship_id")
    index("interests.csv", "interest_id")
    index("documents.csv", "record_id")

    def ref(table, i, column, value, target, name, kinds=None, required=True,
            current=False):
        if not value:
            if required:
                err(table, i, f"{column} is required")
            return None
        row = target.get(value)
        if row is None:
            err(table, i, f"{column} {value!r} is not a known {name}")
            return None
        if kinds and row.get("kind") not in kinds:
            err(table, i, f"{column} {value!r} is of kind {row.get('kind')}, "
                          f"expected {'/'.join(kinds)}")
        if current and row.get("end_date"):
            err(table, i, f"{column} {value!r} has left (end_date {row['end_date']})")
        return row

    def required(table, i, r, *columns):
        for c in columns:
            if not r[c]:
                err(table, i, f"{c} is required")

    def span(table, i, r, start="start_date", end="end_date"):
        if r.get(start) and r.get(end) and d(r[end]) < d(r[start]):
            err(table, i, f"{end} is before {start}")

    # people.csv
    for i, r in enumerate(tables["people.csv"]):
        required("people.csv", i, r, "display_name", "kind", "email", "start_date")
        span("people.csv", i, r)
        if r["kind"] not in PERSON_KINDS:
            err("people.csv", i, f"kind {r['kind']!r} not allowed")
        if not re.match(r"^[a-z0-9.]+@[a-z0-9.-]+$", r["email"]):
            err("people.csv", i, f"email {r['email']!r} looks wrong")
        for role in filter(None, r["system_roles"].split(";")):
            if role not in SYSTEM_ROLES:
                err("people.csv", i, f"system role {role!r} not allowed")
        kind = r["kind"]
        ref("people.csv", i, "ward_id", r["ward_id"], wards, "ward",
            required=kind == "member")
        ref("people.csv", i, "party_group_id", r["party_group_id"], groups,
            "party group", required=kind in ("member", "political-assistant"))
        if kind != "member" and r["ward_id"]:
            err("people.csv", i, "only members have a ward")
        if kind in ("officer", "co-opted-member") and r["party_group_id"]:
            err("people.csv", i, f"a {kind} has no party group")
    emails = [r["email"] for r in tables["people.csv"]]
    if len(set(emails)) != len(emails):
        errors.append("people.csv: duplicate emails")
    for ward_id in wards:
        n = sum(1 for p in people.values()
                if p["ward_id"] == ward_id and p["kind"] == "member"
                and not p["end_date"])
        if n != 3:
            errors.append(f"wards.csv: ward {ward_id} has {n} current members, not 3")

    # posts.csv: a single tree under the chief executive, one post per officer.
    held = {}
    for i, r in enumerate(tables["posts.csv"]):
        required("posts.csv", i, r, "title", "service")
        ref("posts.csv", i, "reports_to_post_id", r["reports_to_post_id"], posts,
            "post", required=False)
        holder = ref("posts.csv", i, "holder_hr_id", r["holder_hr_id"], people,
                     "person", kinds=["officer"], required=False, current=True)
        if r["holder_hr_id"]:
            held.setdefault(r["holder_hr_id"], []).append(r["post_id"])
            if not r["start_date"]:
                err("posts.csv", i, "a held post needs start_date")
            elif holder and d(r["start_date"]) < d(holder["start_date"]):
                err("posts.csv", i, "start_date is before the holder joined")
        elif r["start_date"]:
            err("posts.csv", i, "a vacant post has no start_date")
    roots = [p for p in posts.values() if not p["reports_to_post_id"]]
    if len(roots) != 1 or roots[0]["title"] != "Chief Executive":
        errors.append("posts.csv: exactly one post (Chief Executive) must have no "
                      "reports_to_post_id")
    for pid in posts:
        seen, cur = [], pid
        while cur:
            if cur in seen:
                errors.append(f"posts.csv: reporting cycle through {pid}")
                break
            seen.append(cur)
            cur = posts[cur]["reports_to_post_id"] if cur in posts else ""
    for p in people.values():
        if p["kind"] == "officer" and not p["end_date"]:
            if len(held.get(p["hr_id"], [])) != 1:
                errors.append(f"posts.csv: officer {p['hr_id']} holds "
                              f"{len(held.get(p['hr_id'], []))} posts, not 1")
    if not any(not p["holder_hr_id"] for p in posts.values()):
        errors.append("posts.csv: expected at least one vacant post")

    # Service -> chief officer (walk up to the first chief-officer post).
    def chief_of(post):
        cur = post
        while cur and cur["is_chief_officer"] != "true":
            cur = posts.get(cur["reports_to_post_id"])
        return cur["holder_hr_id"] if cur else ""
    service_chief = {}
    for p in posts.values():
        chief = chief_of(p)
        if service_chief.setdefault(p["service"], chief) != chief:
            errors.append(f"posts.csv: service {p['service']} spans directorates")
    head_services = {p["service"] for p in posts.values()
                     if p["is_head_of_service"] == "true"}

    # designations.csv
    for i, r in enumerate(tables["designations.csv"]):
        if r["designation_id"] not in DESIGNATION_IDS:
            err("designations.csv", i, f"unknown designation {r['designation_id']!r}")
        required("designations.csv", i, r, "start_date")
        ref("designations.csv", i, "holder_hr_id", r["holder_hr_id"], people,
            "person", current=True,
            kinds=["member"] if r["designation_id"] in MEMBER_DESIGNATIONS else ["officer"])
    if sorted(r["designation_id"] for r in tables["designations.csv"]) != \
            sorted(DESIGNATION_IDS):
        errors.append("designations.csv: every designation must appear once")

    # bodies.csv
    for i, r in enumerate(tables["bodies.csv"]):
        required("bodies.csv", i, r, "display_name")
        if r["kind"] not in BODY_KINDS:
            err("bodies.csv", i, f"kind {r['kind']!r} not allowed")
        ref("bodies.csv", i, "parent_body_id", r["parent_body_id"], bodies, "body",
            required=False)

    # memberships.csv
    chairs = {}
    for i, r in enumerate(tables["memberships.csv"]):
        ref("memberships.csv", i, "body_id", r["body_id"], bodies, "body")
        person = ref("memberships.csv", i, "hr_id", r["hr_id"], people, "person",
                     kinds=["member", "co-opted-member"])
        required("memberships.csv", i, r, "start_date")
        span("memberships.csv", i, r)
        if r["role"] not in MEMBERSHIP_ROLES:
            err("memberships.csv", i, f"role {r['role']!r} not allowed")
        if person:
            if d(r["start_date"]) < d(person["start_date"]):
                err("memberships.csv", i, "starts before the person's start_date")
            if person["end_date"] and (not r["end_date"] or
                                       d(r["end_date"]) > d(person["end_date"])):
                err("memberships.csv", i, "outlasts the person's end_date")
        if not r["end_date"] and r["role"] in ("chair", "vice-chair"):
            chairs.setdefault((r["body_id"], r["role"]), []).append(r["hr_id"])
    for body in bodies:
        for role in ("chair", "vice-chair"):
            if len(chairs.get((body, role), [])) != 1:
                errors.append(f"memberships.csv: {body} needs exactly one current "
                              f"{role}")
    council_seats = {r["hr_id"] for r in tables["memberships.csv"]
                     if r["body_id"] == "full-council" and not r["end_date"]}
    for p in people.values():
        if p["kind"] == "member" and not p["end_date"] and \
                p["hr_id"] not in council_seats:
            errors.append(f"memberships.csv: member {p['hr_id']} not on full council")
    exec_seats = {r["hr_id"] for r in tables["memberships.csv"]
                  if r["body_id"] == "executive" and not r["end_date"]}
    scrutiny = {b for b, r in bodies.items() if r["kind"] == "scrutiny-committee"}
    for i, r in enumerate(tables["memberships.csv"]):
        if r["body_id"] in scrutiny and r["hr_id"] in exec_seats:
            err("memberships.csv", i, "executive members may not sit on scrutiny")

    # party_groups.csv
    for i, r in enumerate(tables["party_groups.csv"]):
        required("party_groups.csv", i, r, "display_name")
        for c in ("leader_hr_id", "deputy_leader_hr_id", "whip_hr_id"):
            person = ref("party_groups.csv", i, c, r[c], people, "person",
                         kinds=["member"], required=c != "whip_hr_id", current=True)
            if person and person["party_group_id"] != r["group_id"]:
                err("party_groups.csv", i, f"{c} {r[c]!r} is not in the group")

    # portfolios.csv
    covered = []
    for i, r in enumerate(tables["portfolios.csv"]):
        required("portfolios.csv", i, r, "display_name", "services")
        ref("portfolios.csv", i, "holder_hr_id", r["holder_hr_id"], people, "person",
            kinds=["member"], current=True)
        if r["holder_hr_id"] not in exec_seats:
            err("portfolios.csv", i, "holder is not on the executive")
        for s in r["services"].split(";"):
            if s not in head_services:
                err("portfolios.csv", i, f"service {s!r} is not a service of posts.csv")
            covered.append(s)
    for s in sorted(head_services):
        if covered.count(s) != 1:
            errors.append(f"portfolios.csv: service {s} covered {covered.count(s)} "
                          f"times, not once")

    # relationships.csv
    for i, r in enumerate(tables["relationships.csv"]):
        ref("relationships.csv", i, "member_hr_id", r["member_hr_id"], people,
            "person", kinds=["member", "co-opted-member"])
        ref("relationships.csv", i, "officer_hr_id", r["officer_hr_id"], people,
            "person", kinds=["officer", "political-assistant"])
        ref("relationships.csv", i, "declared_to_hr_id", r["declared_to_hr_id"],
            people, "person", kinds=["officer"])
        ref("relationships.csv", i, "advice_by_hr_id", r["advice_by_hr_id"], people,
            "person", kinds=["officer"], required=bool(r["advice"]))
        required("relationships.csv", i, r, "declared_on")
        span("relationships.csv", i, r, "declared_on")
        if r["kind"] not in RELATIONSHIP_KINDS:
            err("relationships.csv", i, f"kind {r['kind']!r} not allowed")

    # interests.csv
    interest_matters = set()
    for i, r in enumerate(tables["interests.csv"]):
        ref("interests.csv", i, "member_hr_id", r["member_hr_id"], people, "person",
            kinds=["member", "co-opted-member"])
        required("interests.csv", i, r, "description", "registered_on")
        if r["category"] not in INTEREST_CATEGORIES:
            err("interests.csv", i, f"category {r['category']!r} not allowed")
        if r["holder"] not in INTEREST_HOLDERS:
            err("interests.csv", i, f"holder {r['holder']!r} not allowed")
        for m in filter(None, r["matters"].split(";")):
            if not m.startswith("matter-"):
                err("interests.csv", i, f"matter {m!r} must start with 'matter-'")
            interest_matters.add(m)

    # documents.csv
    document_matters = set()
    for i, r in enumerate(tables["documents.csv"]):
        required("documents.csv", i, r, "title", "owning_service", "status")
        if r["owning_service"] not in head_services:
            err("documents.csv", i, f"owning_service {r['owning_service']!r} is not "
                                    f"a service of posts.csv")
        elif service_chief.get(r["owning_service"]) != r["holding_chief_officer_hr_id"]:
            err("documents.csv", i, "holding_chief_officer_hr_id is not the chief "
                                    "officer over the owning service")
        ref("documents.csv", i, "holding_chief_officer_hr_id",
            r["holding_chief_officer_hr_id"], people, "person", kinds=["officer"],
            current=True)
        ref("documents.csv", i, "body_id", r["body_id"], bodies, "body",
            required=False)
        if bool(r["body_id"]) != bool(r["meeting_date"]) or \
                bool(r["body_id"]) != bool(r["agenda_item"]):
            err("documents.csv", i, "body_id, meeting_date and agenda_item go together")
        for w in filter(None, r["ward_ids"].split(";")):
            ref("documents.csv", i, "ward_ids", w, wards, "ward")
        ref("documents.csv", i, "portfolio_id", r["portfolio_id"], portfolios,
            "portfolio", required=False)
        ref("documents.csv", i, "party_group_id", r["party_group_id"], groups,
            "party group", required=False)
        if r["party_group_id"] and r["owning_service"] != "democratic-services":
            err("documents.csv", i, "party-group documents belong to "
                                    "democratic-services")
        for m in filter(None, r["matters"].split(";")):
            document_matters.add(m)
        if r["status"] not in DOCUMENT_STATUSES:
            err("documents.csv", i, f"status {r['status']!r} not allowed")
        paras = [p for p in r["exempt_paragraphs"].split(";") if p]
        if r["status"] == "exempt":
            if not paras or any(p not in list("1234567") for p in paras):
                err("documents.csv", i, "exempt documents list paragraphs 1-7")
        elif paras:
            err("documents.csv", i, "only exempt documents list exempt_paragraphs")
    for m in sorted(interest_matters - document_matters):
        errors.append(f"interests.csv: matter {m} is used by no document")
    for m in sorted(document_matters - set(MATTERS)):
        errors.append(f"documents.csv: matter {m} is not a known matter")
    return errors


# --------------------------------------------------------------------------
# Profiles: what the demo must hold for each shipped profile to work.
# --------------------------------------------------------------------------

TEXTPROTO_TOKEN = re.compile(
    r'\s+|#[^\n]*|"(?:[^"\\\n]|\\.)*"|[A-Za-z0-9_.+-]+|[{}\[\]:,;<>]')


def read_textproto(path):
    """A text-format protobuf file as nested dicts: field -> list of values.

    Enough of the format for the shipped profiles (messages, scalars, strings,
    repeated fields in [...] lists, comments); anything else is an error naming
    the file and the offset, never a silent misreading."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    tokens, pos = [], 0
    while pos < len(text):
        m = TEXTPROTO_TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"{path}: cannot read text at offset {pos}")
        t = m.group(0)
        if not (t[0].isspace() or t[0] == "#"):
            tokens.append((t, m.start()))
        pos = m.end()
    i = 0

    def scalar():
        nonlocal i
        t, at = tokens[i]
        i += 1
        if t.startswith('"'):
            return re.sub(r"\\(.)", r"\1", t[1:-1])
        if t in "{}[]:,;<>":
            raise ValueError(f"{path}: unexpected {t!r} at offset {at}")
        return t

    def message(closing):
        nonlocal i
        fields = {}
        while i < len(tokens) and tokens[i][0] != closing:
            name, at = tokens[i]
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                raise ValueError(f"{path}: expected a field name at offset {at}")
            i += 1
            if i < len(tokens) and tokens[i][0] == ":":
                i += 1
            if i >= len(tokens):
                raise ValueError(f"{path}: {name} has no value")
            values = fields.setdefault(name, [])
            if tokens[i][0] in "{<":
                end = "}" if tokens[i][0] == "{" else ">"
                i += 1
                values.append(message(end))
                i += 1
            elif tokens[i][0] == "[":
                i += 1
                while tokens[i][0] != "]":
                    values.append(scalar())
                    if tokens[i][0] == ",":
                        i += 1
                i += 1
            else:
                values.append(scalar())
            if i < len(tokens) and tokens[i][0] in ",;":
                i += 1
        if closing is not None and i >= len(tokens):
            raise ValueError(f"{path}: a message is not closed")
        return fields

    return message(None)


def values_of(message, field):
    """Every value of `field` anywhere in a message read by read_textproto."""
    for name, values in message.items():
        for v in values:
            if isinstance(v, dict):
                yield from values_of(v, field)
            elif name == field:
                yield v


def read_profiles(profiles_dir):
    """(file stem, needs) for each profiles/*.textproto, sorted by name: the
    designations it names and the ones relationships are declared to."""
    profiles = []
    for name in sorted(os.listdir(profiles_dir)):
        if not name.endswith(".textproto"):
            continue
        p = read_textproto(os.path.join(profiles_dir, name))
        declarations = (p.get("declarations") or [{}])[0]
        profiles.append((name[:-len(".textproto")], {
            "designations": [d_["id"][0] for d_ in p.get("designations", [])],
            "bodies": sorted(set(values_of(p, "body_id"))),
            "declared_to": declarations.get(
                "relationships_declared_to_designation_ids", []),
        }))
    return profiles


def declarations_for(profile, tables, holder_of):
    """The profile's declarations: the demo's relationships, each declared to
    an officer the profile names (the same officer as the default data when
    they qualify), and the interests unchanged."""
    recipients = [holder_of[x] for x in profile["declared_to"]]
    relationships = []
    for r in tables["relationships.csv"]:
        r = dict(r)
        if recipients and r["declared_to_hr_id"] not in recipients:
            r["declared_to_hr_id"] = recipients[0]
        # Advice is recorded by an officer relationships are declared to
        # (Sheffield 4.6: the Chief Executive advises).
        if recipients and r["advice"] and r["advice_by_hr_id"] not in recipients:
            r["advice_by_hr_id"] = r["declared_to_hr_id"]
        relationships.append(r)
    return {"relationships.csv": relationships,
            "interests.csv": list(tables["interests.csv"])}


def validate_profiles(profiles, tables, per_profile):
    """Every designation a profile names has a holder, and each profile's
    relationships are declared (and advised on) as its rules require."""
    errors = []
    held = {r["designation_id"]: r for r in tables["designations.csv"]}
    bodies = {f"bodies/{r['body_id']}" for r in tables["bodies.csv"]}
    for name, needs in profiles:
        for body in needs["bodies"]:
            if body not in bodies:
                errors.append(f"profiles/{name}.textproto names {body}: add it to "
                              f"BODIES with members")
        for designation in needs["designations"] + needs["declared_to"]:
            if designation not in held:
                errors.append(f"profiles/{name}.textproto names designation "
                              f"{designation!r}: give it a holder in "
                              f"DESIGNATION_HOLDERS")
        if errors:
            continue
        recipients = {held[x]["holder_hr_id"]: held[x]["start_date"]
                      for x in needs["declared_to"]}
        for i, r in enumerate(per_profile[name]["relationships.csv"]):
            where = f"declarations/{name}/relationships.csv row {i + 2}"
            if not recipients:
                # Naming nobody: the officer declared to, or the Monitoring
                # Officer, advises.
                if r["advice"] and r["advice_by_hr_id"] not in (
                        r["declared_to_hr_id"], held["monitoring-officer"]["holder_hr_id"]):
                    errors.append(f"{where}: advice by {r['advice_by_hr_id']}, neither "
                                  f"the officer declared to nor the Monitoring Officer")
                continue
            to = r["declared_to_hr_id"]
            if to not in recipients or recipients[to] > r["declared_on"]:
                errors.append(f"{where}: declared to {to}, who did not hold "
                              f"{' or '.join(needs['declared_to'])} that day")
            if r["advice"] and r["advice_by_hr_id"] not in recipients:
                errors.append(f"{where}: advice by {r['advice_by_hr_id']}, who holds "
                              f"none of {' or '.join(needs['declared_to'])}")
    return errors


# --------------------------------------------------------------------------
# Output.
# --------------------------------------------------------------------------

def render(table, rows):
    """CSV text: header first, RFC 4180 quoting where needed, LF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS[table])
    for r in rows:
        writer.writerow([r[c] for c in COLUMNS[table]])
    return buf.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT,
                        help="directory for the CSV files (default: demo/council)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the files differ")
    parser.add_argument("--profiles", default=PROFILES_DIR,
                        help="the profiles the data must serve (default: profiles/)")
    args = parser.parse_args(argv)

    council = Council()
    tables = council.generate()
    errors = validate(tables)
    try:
        profiles = read_profiles(args.profiles)
    except (OSError, ValueError) as e:
        profiles, errors = [], errors + [str(e)]
    holder_of = {r["designation_id"]: r["holder_hr_id"]
                 for r in tables["designations.csv"]}
    per_profile = {}
    if not errors:
        errors = validate_profiles(profiles, tables, {
            name: declarations_for(needs, tables, holder_of)
            for name, needs in profiles
            if all(x in holder_of for x in needs["declared_to"])})
    if not errors:
        per_profile = {name: declarations_for(needs, tables, holder_of)
                       for name, needs in profiles}
    if errors:
        print("generate_demo_data: validation failed, nothing written:",
              file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 2

    rendered = {name: render(name, rows) for name, rows in tables.items()}
    for profile, files in per_profile.items():
        for name, rows in files.items():
            rendered[os.path.join("declarations", profile, name)] = render(name, rows)
    if args.check:
        stale = []
        for name, text in rendered.items():
            path = os.path.join(args.out, name)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        if stale:
            print("generate_demo_data: out of date: " + ", ".join(stale),
                  file=sys.stderr)
            return 1
        print("generate_demo_data: all files up to date")
        return 0

    for name, text in rendered.items():
        path = os.path.join(args.out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    for name, rows in tables.items():
        print(f"{name:20s} {len(rows):4d} rows")
    print("demo people:")
    for label, hr_id in council.demo.items():
        print(f"  {label:26s} {hr_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
