"""Fixed vocabularies shared by the validator, the build and the site.

Order matters: it is the column order of the comparison view and of every page.
"""

CONDUCTS = {
    "create": "Create, produce or generate",
    "possess": "Possess",
    "distribute": "Distribute, publish, offer or supply",
    "access": "Knowingly view or obtain access",
    "tools": "AI models or tools designed to generate CSAM",
    "manuals": "Manuals or guides for abuse or generating CSAM",
}

STATUSES = {
    "criminalised": "An offence in force reaches this conduct for AI- or computer-generated "
    "depictions of minors that are not images of a real child (at least realistic ones).",
    "partial": "An offence reaches it only in limited cases: only images of a real, identifiable "
    "child, only obscene material, or only some forms of the conduct.",
    "pending": "No such offence in force, but a bill or proposal that would create one is before "
    "the legislature, or one is enacted but not yet in force.",
    "not_criminalised": "The law was checked and no offence reaches it.",
    "unclear": "Sources do not settle it (untested general wording, conflicting sources, or not "
    "yet researched).",
}

SCOPES = {
    "any_depiction": "Any depiction, including drawings, cartoons and computer-generated images",
    "realistic": "Synthetic images only when realistic or indistinguishable from a real minor",
    "identifiable_child": "Only images of a real, identifiable child (morphs, deepfakes)",
    "obscene_only": "Only obscene material",
    "real_child_only": "Only material made with an actual child",
}

CONFIDENCE = ("high", "medium", "low")
SOURCE_KINDS = ("primary", "secondary")
INSTRUMENT_KINDS = ("act", "code", "constitution", "directive", "regulation", "decree", "other")

EVENT_CLASSIFICATIONS = (
    "introduction",
    "referral",
    "committee-passage",
    "passage",
    "amendment",
    "executive-receipt",
    "executive-signature",
    "executive-veto",
    "veto-override",
    "became-law",
    "in-force",
    "failure",
    "withdrawal",
    "other",
)
CHAMBERS = ("lower", "upper", "legislature", "executive")

# Derived bill statuses, from least to most advanced (see lawtracker.billstatus).
BILL_STATUSES = {
    "introduced": "Introduced",
    "in_committee": "Referred to committee",
    "passed_chamber": "Passed one chamber",
    "passed_legislature": "Passed the legislature",
    "vetoed": "Vetoed",
    "enacted": "Enacted (became law)",
    "in_force": "In force",
    "failed": "Failed or lapsed",
    "withdrawn": "Withdrawn",
}
