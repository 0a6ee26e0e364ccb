"""Vocabularies of the demo city's three export systems, and fake personal details.

Each source has its own type vocabulary; :func:`category_map_rows` maps every crime value to one of the
five standard categories. Non-crime values (``CAD_NOISE_TYPES``, ``NATURES_911_NOISE``) are deliberately
left out of the map: an importer must report them as unmapped.

All personal details are invented; phone numbers use the fictional 555-01xx range. Street and person
names include accented Latin-1 characters to exercise encodings.
"""

from __future__ import annotations

# category -> ((OffenseCode, OffenseDesc, weight), ...); the RMS map is keyed on OffenseCode.
RMS_OFFENCES = {
    "burglary": (("220A", "BURGLARY - RESIDENTIAL", 0.75), ("220B", "BURGLARY - COMMERCIAL", 0.25)),
    "robbery": (
        ("120A", "ROBBERY - STREET", 0.6),
        ("120B", "ROBBERY - COMMERCIAL", 0.25),
        ("120C", "ROBBERY - ARMED", 0.15),
    ),
    "assault": (("13A", "ASSAULT - AGGRAVATED", 0.3), ("13B", "ASSAULT - SIMPLE", 0.7)),
    "theft": (
        ("23C", "THEFT - SHOPLIFTING", 0.3),
        ("23D", "THEFT - FROM BUILDING", 0.2),
        ("23H", "THEFT - ALL OTHER", 0.4),
        ("23B", "THEFT - PURSE SNATCHING", 0.1),
    ),
    "vehicle_crime": (
        ("23F", "THEFT FROM MOTOR VEHICLE", 0.6),
        ("240", "MOTOR VEHICLE THEFT", 0.3),
        ("23G", "THEFT OF VEHICLE PARTS", 0.1),
    ),
}

# category -> ((CallType, weight), ...)
CAD_CALL_TYPES = {
    "burglary": (("BURG RES", 0.6), ("BURG COM", 0.25), ("BURG", 0.15)),
    "robbery": (("ROBB", 0.6), ("ROBB ARMED", 0.25), ("HOLDUP", 0.15)),
    "assault": (("ASLT", 0.5), ("FIGHT", 0.3), ("ASLT W/WEAPON", 0.2)),
    "theft": (("THEFT", 0.6), ("SHOPLIFT", 0.3), ("PURSE SNATCH", 0.1)),
    "vehicle_crime": (("VEH BREAKIN", 0.55), ("STOLEN VEH", 0.35), ("VEH TAMPER", 0.1)),
}
# (CallType, weight, Source or "" for any civilian source)
CAD_NOISE_TYPES = (
    ("TRAFFIC STOP", 0.3, "OFFICER"),
    ("WELFARE CHECK", 0.15, ""),
    ("ALARM", 0.15, "PHONE"),
    ("NOISE COMPLAINT", 0.12, ""),
    ("SUSPICIOUS PERSON", 0.12, ""),
    ("MEDICAL ASSIST", 0.08, "911"),
    ("MVA NO INJURY", 0.08, "911"),
)
CAD_DISPOSITIONS_REPORT = ("REPORT TAKEN",)
CAD_DISPOSITIONS_NO_REPORT = ("GOA", "ADVISED", "UNFOUNDED", "NO REPORT")
CAD_DISPOSITIONS_NOISE = ("ADVISED", "CITATION", "WARNING", "CLEARED", "TRANSPORTED", "GOA")

# category -> natures as typed by 911 call takers (free-text-ish, mixed case)
NATURES_911 = {
    "burglary": ("BURGLARY", "break in", "Break-in at residence", "B&E", "someone broke into house"),
    "robbery": ("ROBBERY", "robbed", "Armed robbery", "robbery in progress"),
    "assault": ("ASSAULT", "fight", "person assaulted", "Assault w/ weapon", "FIGHT IN PROGRESS"),
    "theft": ("THEFT", "stolen property", "Theft", "shoplifter"),
    "vehicle_crime": (
        "car break in",
        "stolen vehicle",
        "VEHICLE BREAK-IN",
        "car stolen",
        "window smashed on car",
    ),
}
NATURES_911_NOISE = ("medical", "traffic accident", "noise complaint", "pocket dial", "lost dog", "hang up")

FIRST_NAMES = (
    "José", "Zoë", "Renée", "Chloé", "André", "María", "Jürgen", "Noël", "Inés", "Hélène", "Björn",
    "Ramón", "James", "Mary", "Robert", "Linda", "Michael", "Patricia", "David", "Jennifer", "William",
    "Elizabeth", "Kevin", "Aisha", "Tyrone", "Mei", "Priya", "Olga",
)  # fmt: skip
LAST_NAMES = (
    "Núñez", "Müller", "García", "Lefèvre", "Peña", "Østergaard", "Brontë", "Schäfer", "Martínez",
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "O'Brien", "Nguyen",
    "Kowalski", "Dubois", "Washington", "Okafor", "Patel", "Ivanova",
)  # fmt: skip
STREETS = (
    "Rue de l'Été", "Avenue de la Forêt", "Champs-Élysées Ct", "Peña Blvd", "Müller St", "Côte Dr",
    "Crève Coeur Rd", "Garçon Ln", "Main St", "Oak Ave", "Maple St", "Washington St", "Prairie Rd",
    "Lincoln Ave", "Galena Ave", "Knoxville Ave", "Farmington Rd", "Elm St", "Jefferson Ave",
)  # fmt: skip


def category_map_rows() -> list[tuple[str, str, str]]:
    """(source, value, category) for every crime value of every source: rms_reports OffenseCode,
    cad_calls CallType, calls_911 nature. Sources are named as the importer names them (file stems)."""
    rows = []
    for category, offences in RMS_OFFENCES.items():
        rows += [("rms_reports", code, category) for code, _desc, _w in offences]
    for category, types in CAD_CALL_TYPES.items():
        rows += [("cad_calls", value, category) for value, _w in types]
    for category, natures in NATURES_911.items():
        rows += [("calls_911", value, category) for value in natures]
    return rows
