"""English rules on real statutory wording.

Every text below is copied verbatim from the `text` of the provision named beside it in
data/laws/*.yml (which cites the official source). Nothing here is invented statute wording.
"""
import pytest

from lawtracker.classify import classify_text, derive_scope, propose

# US/usc-18/s2256, para. (11)
US_2256_11 = (
    '(11) the term "indistinguishable" used with respect to a depiction, means virtually '
    "indistinguishable, in that the depiction is such that an ordinary person viewing the depiction "
    "would conclude that the depiction is of an actual minor engaged in sexually explicit conduct. "
    "This definition does not apply to depictions that are drawings, cartoons, sculptures, or "
    "paintings depicting minors or adults."
)
# GB/ukpga-1978-37/s7
GB_PCA_S7 = (
    "(7) 'Pseudo-photograph' means an image, whether made by computer-graphics or otherwise "
    "howsoever, which appears to be a photograph."
)
# GB/ukpga-1988-33/s160
GB_CJA_S160 = (
    "(1)It is an offence for a person to have any indecent photograph or pseudo-photograph of a "
    "child . . . in his possession."
)
# US-VT/vsa-13/2827
US_VT_2827 = (
    "(a) No person shall, with knowledge of the character and content, possess or knowingly access "
    "with intent to view any photograph, film, or visual depiction, including any depiction that is "
    "stored electronically, of sexual conduct by, with, or on a child or of a clearly lewd "
    "exhibition of a child's genitals or anus.\n(b) This section shall not apply:\n(3) to "
    "paintings, drawings, or nonvisual or written descriptions of sexual conduct."
)
# US-NC/gs/14-190.17c
US_NC_190_17C = (
    "(a) It is a Class E felony for any person to knowingly produce, distribute, receive, or "
    "possess with intent to distribute material that meets both of the following criteria:\n(1) "
    "Depicts a minor engaging in sexual activity.\n(2) Is obscene."
)
# US-FL/fla-stat/s836.13
US_FL_836_13 = (
    "(a) \u201cAltered sexual depiction\u201d means any visual depiction that, as a result of any type "
    "of digital, electronic, mechanical, or other modification, alteration, or adaptation, depicts a "
    "realistic version of an identifiable person:\n1. With the nude body parts of another person as "
    "the nude body parts of the identifiable person;\n2. With computer-generated nude body parts as "
    "the nude body parts of the identifiable person; or\n3. Engaging in sexual conduct as defined in "
    "s. 847.001 in which the identifiable person did not engage."
)
# US-ID/idaho-code/s18-1507c (first and third subsections)
US_ID_1507C = (
    "(1) A person commits a felony if he knowingly produces, distributes, receives, possesses, or "
    "accesses a visual depiction, including a video or image created using generative AI or machine "
    "learning, that:(a) Depicts a child engaging in explicit sexual conduct; and"
    "(3) It shall not be a required element of a violation of subsection (1) of this section that "
    "the child depicted actually exists."
)
# US-CT/cgs/s53a-193
US_CT_53A_193 = (
    '"Child sexual abuse material" means any visual depiction including any photograph, film, '
    "videotape, picture or computer-generated image or picture, whether made or produced by "
    "electronic, digital, mechanical or other means, of sexually explicit conduct, where the "
    "production of such visual depiction involves the use of a person under sixteen years of age "
    "engaging in sexually explicit conduct"
)
# US-TN/tca/part10-tools-section
US_TN_TOOLS = (
    "(a) (1) It is an offense for a person to knowingly possess, distribute, or produce technology, "
    "software, or digital tools designed for the purpose of creating material that includes a minor "
    "engaged in: (A) Sexual activity; or (B) Simulated sexual activity that is patently offensive."
)
# GB/ukpga-2015-9/s69
GB_SCA_S69 = "(1)It is an offence to be in possession of any item that contains advice or guidance about abusing children sexually."
# GB/ukpga-2026-20/s72 (curated excerpt)
GB_CPA_S72 = "made or adapted for use for creating, or facilitating the creation of, CSA images"


def findings(text, kind=None, label=None, negated=None):
    r = classify_text(text, "en")
    return [f for f in r.findings if (kind is None or f.kind == kind) and (label is None or f.label == label)
            and (negated is None or f.negated == negated)]


def test_offsets_index_the_text_exactly():
    for text in (US_2256_11, GB_PCA_S7, US_VT_2827, US_FL_836_13, US_ID_1507C):
        r = classify_text(text, "en")
        assert r.findings
        for f in r.findings:
            assert text[f.start:f.end] == f.phrase


def test_pseudo_photograph_definition_is_realistic():  # GB/ukpga-1978-37/s7
    r = classify_text(GB_PCA_S7, "en")
    assert {"pseudo_photograph", "computer_generated"} <= r.features
    assert r.scope == "realistic"
    f = next(f for f in r.findings if f.label == "computer_generated")
    assert f.phrase == "computer-graphics" and GB_PCA_S7.index("computer-graphics") == f.start


def test_possession_offence_with_pseudo_photographs():  # GB/ukpga-1988-33/s160
    r = classify_text(GB_CJA_S160, "en")
    assert r.conducts == {"possess"}
    assert r.scope == "realistic"


def test_negation_drawings_excluded_from_indistinguishable():  # US/usc-18/s2256 (11)
    negated = findings(US_2256_11, kind="feature", negated=True)
    assert {f.phrase for f in negated} == {"drawings", "cartoons", "sculptures", "paintings"}
    assert all(f.cue == "does not apply" for f in negated)
    r = classify_text(US_2256_11, "en")
    assert r.scope == "realistic"  # "virtually indistinguishable"; the drawings do not count


def test_real_child_only_definition():  # US-VT/vsa-13/2827: tricky negative
    r = classify_text(US_VT_2827, "en")
    assert {"possess", "access"} <= r.conducts
    assert "drawings" not in r.features  # "This section shall not apply: (3) to paintings, drawings"
    assert r.scope == "real_child_only"
    p = propose([("US-VT/vsa-13/2827", r)], "possess")
    assert (p.status, p.scope) == ("not_criminalised", "real_child_only")


def test_computer_generated_medium_with_real_child_requirement():  # US-CT/cgs/s53a-193
    r = classify_text(US_CT_53A_193, "en")
    assert {"computer_generated", "real_child_only"} <= r.features
    assert r.scope == "real_child_only"


def test_obscenity_only_offence():  # US-NC/gs/14-190.17c: tricky negative
    r = classify_text(US_NC_190_17C, "en")
    assert {"create", "distribute", "possess", "access"} <= r.conducts
    assert r.scope == "obscene_only"
    p = propose([("US-NC/gs/14-190.17c", r)], "possess")
    assert (p.status, p.scope) == ("partial", "obscene_only")


def test_adult_deepfake_provision_reaches_no_csam_conduct():  # US-FL/fla-stat/s836.13: tricky negative
    r = classify_text(US_FL_836_13, "en")
    assert "minor" not in r.labels("context")
    assert r.conducts == set()
    assert {"digitally_altered", "identifiable_child"} <= r.features


def test_definitional_cross_reference():  # US-FL/fla-stat/s836.13 "as defined in s. 847.001"
    (ref,) = findings(US_FL_836_13, kind="crossref")
    assert ref.target == "s. 847.001"
    assert ref.phrase == "as defined in s. 847.001"


def test_generative_ai_and_nonexistent_child():  # US-ID/idaho-code/s18-1507c
    r = classify_text(US_ID_1507C, "en")
    assert {"create", "distribute", "possess", "access"} <= r.conducts
    assert {"artificial_intelligence", "nonexistent_person"} <= r.features
    assert r.scope == "any_depiction"


def test_tools_offence():  # US-TN/tca/part10-tools-section
    r = classify_text(US_TN_TOOLS, "en")
    assert "tools" in r.conducts
    f = next(f for f in r.findings if f.label == "tools")
    assert f.phrase.startswith("technology, software, or digital tools designed")


def test_image_generator_tools_phrase():  # GB/ukpga-2026-20/s72
    assert "tools" in classify_text(GB_CPA_S72, "en").conducts


def test_manuals_offence():  # GB/ukpga-2015-9/s69
    r = classify_text(GB_SCA_S69, "en")
    assert "manuals" in r.conducts
    assert "tools" not in r.conducts


def test_csam_offence_is_not_a_tools_offence():  # GB/ukpga-1988-33/s160
    assert "tools" not in classify_text(GB_CJA_S160, "en").conducts


@pytest.mark.parametrize("features,scope", [
    ({"obscenity", "any_representation"}, "obscene_only"),
    ({"obscenity", "indistinguishable"}, "realistic"),
    ({"computer_generated", "real_child_only"}, "real_child_only"),
    ({"computer_generated"}, "realistic"),
    ({"identifiable_child", "computer_generated"}, "identifiable_child"),
    ({"drawings", "indistinguishable"}, "realistic"),
    ({"nonexistent_person", "indistinguishable"}, "any_depiction"),
    (set(), None),
])
def test_scope_precedence(features, scope):
    assert derive_scope(features) == scope


# US/usc-18/s2252a.a.5.b
US_2252A_A5B = (
    "knowingly possesses, or knowingly accesses with intent to view, any book, magazine, periodical, "
    "film, videotape, computer disk, or any other material that contains an image of child pornography"
)
# US/usc-18/s2256 (8)
US_2256_8 = (
    '"child pornography" means any visual depiction, including any photograph, film, video, picture, or '
    "computer or computer-generated image or picture, whether made or produced by electronic, mechanical, "
    "or other means, of sexually explicit conduct, where-\n(A) the production of such visual depiction "
    "involves the use of a minor engaging in sexually explicit conduct;\n(B) such visual depiction is a "
    "digital image, computer image, or computer-generated image that is, or is indistinguishable from, "
    "that of a minor engaging in sexually explicit conduct; or\n(C) such visual depiction has been "
    "created, adapted, or modified to appear that an identifiable minor is engaging in sexually explicit "
    "conduct."
)
# US/usc-18/s1466a (a), first lines
US_1466A_A = (
    "(a) In General. - Any person who, in a circumstance described in subsection (d), knowingly produces, "
    "distributes, receives, or possesses with intent to distribute, a visual depiction of any kind, "
    "including a drawing, cartoon, sculpture, or painting, that -\n(1)(A) depicts a minor engaging in "
    "sexually explicit conduct; and\n(B) is obscene; or"
)


def test_obscenity_binds_only_the_offence_that_states_it():
    texts = {pid: classify_text(t, "en") for pid, t in (
        ("US/usc-18/s2252a.a.5.b", US_2252A_A5B), ("US/usc-18/s2256", US_2256_8), ("US/usc-18/s1466a", US_1466A_A))}
    # possession: § 2252A names it with no obscenity element, so § 1466A's drawings (obscene only) do not count
    p = propose([(k, texts[k]) for k in ("US/usc-18/s2252a.a.5.b", "US/usc-18/s2256", "US/usc-18/s1466a")], "possess")
    assert (p.status, p.scope) == ("criminalised", "realistic")
    # production: only § 1466A names it, and it requires obscenity
    p = propose([(k, texts[k]) for k in ("US/usc-18/s1466a", "US/usc-18/s2256")], "create")
    assert (p.status, p.scope) == ("partial", "obscene_only")


# CA/criminal-code/s163.1 (1)(b) and (c)
CA_163_1_B_C = (
    "(b) any written material, visual representation or audio recording that advocates or counsels "
    "sexual activity with a person under the age of eighteen years that would be an offence under this "
    "Act;\n(c) any written material whose dominant characteristic is the description, for a sexual "
    "purpose, of sexual activity with a person under the age of eighteen years that would be an offence "
    "under this Act; or"
)
# MY/act-792/s4
MY_792_S4 = (
    "\u201cchild sexual abuse material\u201d means any representation in whole or in part, whether visual, "
    "audio or written or the combination of visual, audio or written, by any means including but not "
    "limited to electronic"
)


def test_definition_reaching_written_or_advocacy_material_makes_manuals_partial():
    r = classify_text(CA_163_1_B_C, "en")
    assert "written_material" in r.features
    assert "manuals" not in r.conducts  # advocacy material in a CSAM definition is not a guide offence
    p = propose([("CA/criminal-code/s163.1", r)], "manuals")
    assert (p.status, p.basis) == ("partial", "definition")
    assert any(f.phrase.startswith("advocates or counsels") for _, f in p.evidence)


def test_written_representation_without_sexual_context_proposes_nothing():  # MY/act-792/s4 alone
    r = classify_text(MY_792_S4, "en")
    assert "written_material" in r.features
    # "child sexual abuse material" names the child and the sexual material, so partial
    assert propose([("MY/act-792/s4", r)], "manuals").status == "partial"
    bare = classify_text("any representation, whether visual, audio or written", "en")
    assert propose([("x", bare)], "manuals").status == "not_criminalised"  # no child, no sex: not CSAM


def test_excluded_written_descriptions_do_not_count():  # US-VT/vsa-13/2827: tricky negative
    r = classify_text(US_VT_2827, "en")
    assert [f.negated for f in r.findings if f.label == "written_material"] == [True]
    assert propose([("US-VT/vsa-13/2827", r)], "manuals").status == "not_criminalised"


def test_targeted_guide_offence_stays_criminalised():  # GB/ukpga-2015-9/s69
    p = propose([("GB/ukpga-2015-9/s69", classify_text(GB_SCA_S69, "en"))], "manuals")
    assert p.status == "criminalised"


# US-AK/as-11/s11.61.127 (a)
US_AK_127_A = (
    "(a) A person commits the crime of possession of child pornography if the person knowingly possesses "
    "or knowingly accesses on a computer with intent to view any material that visually depicts conduct "
    "described in AS 11.41.455(a) knowing that the production of the material involved the use of a child "
    "under 18 years of age who engaged in the conduct or a depiction of a part of an actual child under 18 "
    "years of age who, by manipulation, creation, or modification, appears to be engaged in the conduct"
)
# US-VA/code/18.2-374.1-1 (D)
US_VA_374_1_1_D = (
    "D. Any person who intentionally operates an Internet website for the purpose of facilitating the "
    "payment for access to child pornography is guilty of a Class 4 felony."
)
# US-OR/ors/163.687 (1)(a)(A)(ii)
US_OR_687_II = (
    "(ii) Knowingly pays, exchanges or gives anything of value to obtain or view a visual recording of "
    "sexually explicit conduct involving a child for the purpose of arousing or satisfying the sexual "
    "desires of the person or another person; and"
)


def test_manipulated_image_of_an_actual_child_is_identifiable_not_real_only():
    r = classify_text(US_AK_127_A, "en")
    assert {"possess", "access"} <= r.conducts
    assert r.scope == "identifiable_child"  # "an actual child" names whose image is manipulated


def test_payment_for_access_is_not_an_access_offence():  # tricky negative
    assert "access" not in classify_text(US_VA_374_1_1_D, "en").conducts


def test_paying_or_exchanging_value_to_obtain_is_not_distribution():  # tricky negative
    r = classify_text(US_OR_687_II, "en")
    assert "distribute" not in r.conducts
    assert "access" in r.conducts  # "to obtain or view"


# LC/computer-misuse-act/s14 (1)(c)
LC_14_C = (
    "(c) have in his or her possession an indecent photograph or pseudo-photograph of a child, with a view "
    "to such photograph being distributed or shown by himself or herself or any other person; or"
)
# GY/cybercrime-act-2018/s14
GY_14 = (
    "offers or makes available, distributes or transmits child pornography through a computer system;"
)


def test_with_a_view_to_is_a_purpose_not_viewing():  # tricky negative
    r = classify_text(LC_14_C, "en")
    assert "possess" in r.conducts
    assert "access" not in r.conducts


def test_makes_available_is_distribution_not_creation():  # tricky negative
    r = classify_text(GY_14, "en")
    assert "distribute" in r.conducts
    assert "create" not in r.conducts


def test_real_or_simulated_activity_says_nothing_of_the_child():  # tricky negative
    # ZW/criminal-law-code/s165a (1): "real or simulated" qualifies the activity, not the child
    text = ("a person made to appear as a child or realistic material representing a child , engaged in "
            "real or simulated explicit sexual activity")
    assert "nonexistent_person" not in classify_text(text, "en").features
    # ZM/cyber-crimes-act-2025/s2: here it qualifies the material itself
    text = "“child pornography” means a material whether real or simulated, that depicts a presentation"
    assert "nonexistent_person" in classify_text(text, "en").features
