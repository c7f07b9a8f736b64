"""Offences that reach a conduct only in some forms, obscenity as one alternative, and separate
offences cited together.

Every text is copied verbatim from the `text` of the provision named beside it in
data/laws/*.yml. Nothing here is invented statute wording.
"""
from lawtracker.classify import classify_text, propose

# FR/code-penal/a227-23, first two sentences and the viewing paragraph
FR_227_23 = (
    "Le fait, en vue de sa diffusion, de fixer, d'enregistrer ou de transmettre l'image ou la "
    "représentation d'un mineur lorsque cette image ou cette représentation présente un caractère "
    "pornographique est puni de cinq ans d'emprisonnement et de 75 000 euros d'amende. Lorsque l'image ou "
    "la représentation concerne un mineur de quinze ans, ces faits sont punis même s'ils n'ont pas été "
    "commis en vue de la diffusion de cette image ou représentation.\n"
    "Le fait de consulter habituellement ou en contrepartie d'un paiement un service de communication au "
    "public en ligne mettant à disposition une telle image ou représentation, d'acquérir ou de détenir une "
    "telle image ou représentation par quelque moyen que ce soit est puni de cinq ans d'emprisonnement et "
    "de 75 000 euros d'amende."
)
# MC/code-penal/a294-3, first three paragraphs
MC_294_3 = (
    "Le fait, en vue de sa diffusion, de fixer, d'enregistrer, de produire, de se procurer ou de "
    "transmettre l'image ou la représentation d'un mineur lorsque cette image ou cette représentation "
    "présente un caractère pornographique est puni d'un emprisonnement de trois à cinq ans et de l'amende "
    "prévue au chiffre 3 de l'article 26. La tentative est punie des mêmes peines.\n"
    "Le fait, sciemment, d'offrir ou de diffuser une telle image ou représentation, par quelque moyen que "
    "ce soit, de l'importer ou de l'exporter, de la faire importer ou de la faire exporter, est puni des "
    "mêmes peines.\n"
    "Le fait de détenir sciemment une telle image ou représentation est puni de six mois à deux ans "
    "d'emprisonnement et de l'amende prévue au chiffre 2 de l'article 26."
)
# LC/computer-misuse-act/s14 (1) and (4)
LC_14 = (
    "(1) A person shall not, through a computer system—\n(a) take or permit to be taken or make, any "
    "indecent photograph or pseudo-photograph of a child;\n(b) distribute or show the indecent photograph "
    "or pseudo-photograph of a child;\n(c) have in his or her possession an indecent photograph or "
    "pseudo-photograph of a child, with a view to such photograph being distributed or shown by himself or "
    "herself or any other person; or\n(4) Where the—\n(a) impression conveyed by the pseudo-photograph is "
    "that the person shown is a child; or"
)
# GB/ukpga-1988-33/s160 (1)
GB_160 = (
    "(1) Subject to subsection (1A), it is an offence for a person to have any indecent photograph or "
    "pseudo-photograph of a child in his possession."
)
# IN/it-act-2000/s67b (b)
IN_67B_B = (
    "(b) creates text or digital images, collects, seeks, browses, downloads, advertises, promotes, "
    "exchanges or distributes material in any electronic form depicting children in obscene or indecent or "
    "sexually explicit manner; or"
)
# PL/kk/a202-4a and PL/kk/a202-4b
PL_4A = ("Art. 202 § 4a. Kto przechowuje, posiada lub uzyskuje dostęp do treści pornograficznych z udziałem "
         "małoletniego, podlega karze pozbawienia wolności od 3 miesięcy do lat 5.")
PL_4B = ("Kto produkuje, rozpowszechnia, prezentuje, przechowuje lub posiada treści pornograficzne "
         "przedstawiające wytworzony albo przetworzony wizerunek małoletniego uczestniczącego w czynności "
         "seksualnej podlega grzywnie, karze ograniczenia wolności albo pozbawienia wolności do lat 2")
# NO/straffeloven/s311, letter a and the last sentence
NO_311 = (
    "Med bot eller fengsel inntil 3 år straffes den som\nproduserer fremstilling av seksuelle overgrep mot "
    "barn eller fremstilling som seksualiserer barn,\nMed barn menes i denne paragrafen personer som er "
    "eller fremstår som under 18 år."
)


def one(pid, text, lang, conduct):
    return propose([(pid, classify_text(text, lang))], conduct)


def test_production_only_with_a_view_to_dissemination_is_partial():
    p = one("MC/code-penal/a294-3", MC_294_3, "fr", "create")
    assert (p.status, p.scope) == ("partial", "any_depiction")
    limit = [f for _, f in p.evidence if f.kind == "limit"]
    assert [f.phrase for f in limit] == ["en vue de sa diffusion"]
    assert "limit (create)" in p.evidence_text()


def test_a_limit_binds_only_its_own_sentence():
    # "se procurer" is limited in the first paragraph, but "détenir sciemment" is not
    assert one("MC/code-penal/a294-3", MC_294_3, "fr", "possess").status == "criminalised"
    assert one("MC/code-penal/a294-3", MC_294_3, "fr", "distribute").status == "criminalised"


def test_a_lift_removes_the_limit():
    # under 15, making is punished even without a view to dissemination
    assert one("FR/code-penal/a227-23", FR_227_23, "fr", "create").status == "criminalised"
    without_lift = FR_227_23.split(" Lorsque")[0]
    assert one("FR/code-penal/a227-23", without_lift, "fr", "create").status == "partial"


def test_only_habitual_viewing_is_partial_access():
    p = one("FR/code-penal/a227-23", FR_227_23, "fr", "access")
    assert (p.status, p.scope) == ("partial", "any_depiction")
    assert one("FR/code-penal/a227-23", FR_227_23, "fr", "possess").status == "criminalised"


def test_possession_only_with_a_view_to_distribution():
    p = one("LC/computer-misuse-act/s14", LC_14, "en", "possess")
    assert (p.status, p.scope) == ("partial", "realistic")
    # a simple possession offence cited beside it reaches the conduct without the limit
    r = [("LC/computer-misuse-act/s14", classify_text(LC_14, "en")),
         ("GB/ukpga-1988-33/s160", classify_text(GB_160, "en"))]
    assert propose(r, "possess").status == "criminalised"


def test_limits_are_not_features_or_conducts():
    r = classify_text(MC_294_3, "fr")
    assert {f.kind for f in r.findings if f.phrase == "en vue de sa diffusion"} == {"limit"}
    assert "create" in r.conducts and r.scope == "any_depiction"


def test_obscenity_as_one_alternative_is_not_an_element():
    r = classify_text(IN_67B_B, "en")
    assert "obscenity" not in r.features
    assert not [f for f in r.findings if f.label == "obscenity"]
    # still an element where it stands alone
    assert "obscenity" in classify_text("a visual depiction that is obscene", "en").features


def test_separate_offence_does_not_lend_its_material_to_the_cited_offence():
    r = [("PL/kk/a202-4a", classify_text(PL_4A, "pl")), ("PL/kk/a202-4b", classify_text(PL_4B, "pl"))]
    # § 4a (access, participation of a minor) is not read with § 4b's produced or processed images
    p = propose(r, "access")
    assert (p.status, p.scope) == ("not_criminalised", "real_child_only")
    # possession is named in both, so § 4b's broader material counts for it
    assert propose(r, "possess").scope == "any_depiction"


def test_norwegian_fremstilling_reaches_any_depiction():
    p = one("NO/straffeloven/s311", NO_311, "no", "create")
    assert (p.status, p.scope) == ("criminalised", "any_depiction")


def test_facilitating_access_is_supply_not_access():  # tricky negative
    text = ("(1) A person shall not— (a) publish child pornography , through a computer system ; or (b) make "
            "available or facilitate the access of child pornography through a computer system .")
    r = classify_text(text, "en")  # TZ/cybercrimes-act-2015/s13
    assert "access" not in r.conducts and "distribute" in r.conducts


def test_viewing_only_on_premises_is_a_limited_access():
    # UG/anti-pornography-act-2014/s2, definition of "procure"
    text = ("“ procure ” means to purchase or obtain or import or being found in possession or custody of, or "
            "being found viewing in a premise, any matter prohibited by this Act")
    r = classify_text(text, "en")
    assert [f.label for f in r.findings if f.kind == "limit"] == ["access"]
