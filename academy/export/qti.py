"""A module's quiz as a QTI 1.2 assessment in the Common Cartridge profile (cc.exam.v0p1)."""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from academy.content.quiz import Question, Quiz, normalise_answer
from academy.export.profiles import QTI, XSI, Profile

# Academy's question kinds and the CC profile each becomes.
CC_PROFILES = {
    "single": "cc.multiple_choice.v0p1",
    "true-false": "cc.true_false.v0p1",
    "multiple": "cc.multiple_response.v0p1",
    "short": "cc.fib.v0p1",
}
RESPONSE = "response1"  # each question has one response; the profile allows no more
FULL_MARKS = "100"
# Trainees may take a quiz again as often as they like; the profile's word for that.
ATTEMPTS = "unlimited"


def assessment_xml(quiz: Quiz, ident: str, title: str, rubric: str, profile: Profile) -> bytes:
    """The quiz file: one item per question, its right answers, scoring and feedback.

    `rubric` is the plain-text instruction shown before the questions (the pass mark: the
    profile has no metadata field for it).
    """
    root = etree.Element(_q("questestinterop"), nsmap={None: QTI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", profile.qti_schema_location)
    assessment = _sub(root, "assessment", ident=ident, title=title)
    _metadata(
        _sub(assessment, "qtimetadata"),
        cc_profile="cc.exam.v0p1",
        qmd_assessmenttype="Examination",
        qmd_scoretype="Percentage",
        qmd_feedbackpermitted="Yes",
        cc_maxattempts=ATTEMPTS,
    )
    _mattext(_sub(_sub(assessment, "rubric"), "material"), rubric, "text/plain")
    section = _sub(assessment, "section", ident="root_section")
    for question in quiz.questions:
        _item(section, question)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def plain_text(html: str) -> str:
    """The words of an HTML fragment, for places that take no markup (an item's title)."""
    return lxml_html.fragment_fromstring(html or " ", create_parent="div").text_content().strip()


def _item(section: etree._Element, question: Question) -> None:
    """One question: metadata, what is shown, how it is scored and the feedback."""
    ident = f"q{question.number}"
    item = _sub(section, "item", ident=ident, title=plain_text(question.prompt)[:200])
    _metadata(
        _sub(_sub(item, "itemmetadata"), "qtimetadata"), cc_profile=CC_PROFILES[question.kind]
    )
    presentation = _sub(item, "presentation")
    _mattext(_sub(presentation, "material"), question.prompt)
    processing = _sub(item, "resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(outcomes, "decvar", varname="SCORE", vartype="Decimal", minvalue="0", maxvalue=FULL_MARKS)
    feedback: dict[str, str] = {}
    if question.feedback:
        # Always shown once answered: Canvas's and Moodle's importers both read this pattern
        # (a condition that always holds, which continues) as the question's general feedback.
        condition = _sub(processing, "respcondition", **{"continue": "Yes"})
        _sub(_sub(condition, "conditionvar"), "other")
        _show(condition, "general_fb")
        feedback["general_fb"] = question.feedback
    if question.kind == "short":
        _short_answer(presentation, processing, question)
    else:
        feedback.update(_choices(presentation, processing, question, ident))
    for feedback_ident, text in feedback.items():
        _mattext(
            _sub(_sub(_sub(item, "itemfeedback", ident=feedback_ident), "flow_mat"), "material"),
            text,
        )


def _choices(
    presentation: etree._Element, processing: etree._Element, question: Question, ident: str
) -> dict[str, str]:
    """Options as response labels, scored right or wrong; returns the per-option feedback."""
    cardinality = "Multiple" if question.kind == "multiple" else "Single"
    response = _sub(presentation, "response_lid", ident=RESPONSE, rcardinality=cardinality)
    # Authors order options on purpose ("All of these" last): never shuffled.
    choices = _sub(response, "render_choice", shuffle="No")
    labels = [f"{ident}_{index + 1}" for index in range(len(question.options))]
    for label, option in zip(labels, question.options, strict=True):
        _mattext(_sub(_sub(choices, "response_label", ident=label), "material"), option.html)
    feedback = {
        f"{label}_fb": option.feedback
        for label, option in zip(labels, question.options, strict=True)
        if option.feedback
    }
    if question.kind == "multiple":
        _all_right(processing, question, labels)
    for label, option in zip(labels, question.options, strict=True):
        if question.kind == "multiple":
            # Every ticked option shows its own feedback, so these conditions continue.
            if option.feedback:
                _when(processing, label, "Yes", feedback=f"{label}_fb")
        elif option.correct or option.feedback:
            # One answer: the condition that matches it scores and explains, then stops. Moodle
            # reads an option's grade from the condition that tests that option alone.
            score = FULL_MARKS if option.correct else None
            _when(processing, label, "No", score, f"{label}_fb" if option.feedback else None)
    return feedback


def _all_right(processing: etree._Element, question: Question, labels: list[str]) -> None:
    """Full marks only for every right option ticked and no wrong one.

    `{multiple, partial}` part marks cannot be written: the profile only lets a condition set
    the score, never add to it.
    """
    condition = _sub(processing, "respcondition", **{"continue": "Yes"})
    both = _sub(_sub(condition, "conditionvar"), "and")
    for label, option in zip(labels, question.options, strict=True):
        if option.correct:
            _sub(both, "varequal", respident=RESPONSE).text = label
        else:
            _sub(_sub(both, "not"), "varequal", respident=RESPONSE).text = label
    _sub(condition, "setvar", action="Set", varname="SCORE").text = FULL_MARKS


def _short_answer(
    presentation: etree._Element, processing: etree._Element, question: Question
) -> None:
    """A text box, and one full-marks condition per accepted spelling."""
    response = _sub(presentation, "response_str", ident=RESPONSE, rcardinality="Single")
    _sub(_sub(response, "render_fib", fibtype="String", prompt="Box"), "response_label", ident="a")
    accepted: list[str] = []
    for option in question.options:
        # Academy ignores accents and apostrophe styles; QTI only case (case="No"), so the plain
        # spelling is accepted too: "décriminalisation" also as "decriminalisation".
        for text in (option.text.strip(), normalise_answer(option.text)):
            if text.casefold() not in {known.casefold() for known in accepted}:
                accepted.append(text)
    for text in accepted:
        # One condition per answer: Moodle takes one answer from each condition that scores.
        condition = _sub(processing, "respcondition", **{"continue": "No"})
        _sub(_sub(condition, "conditionvar"), "varequal", respident=RESPONSE, case="No").text = text
        _sub(condition, "setvar", action="Set", varname="SCORE").text = FULL_MARKS


def _when(
    processing: etree._Element,
    label: str,
    carry_on: str,
    score: str | None = None,
    feedback: str | None = None,
) -> None:
    """A condition on one option being chosen: its score and its feedback."""
    condition = _sub(processing, "respcondition", **{"continue": carry_on})
    _sub(_sub(condition, "conditionvar"), "varequal", respident=RESPONSE).text = label
    if score is not None:
        _sub(condition, "setvar", action="Set", varname="SCORE").text = score
    if feedback is not None:
        _show(condition, feedback)


def _show(condition: etree._Element, feedback: str) -> None:
    """Make a condition show the feedback with this ident."""
    _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=feedback)


def _metadata(parent: etree._Element, **fields: str) -> None:
    """Qtimetadatafield pairs, in order."""
    for label, entry in fields.items():
        field = _sub(parent, "qtimetadatafield")
        _sub(field, "fieldlabel").text = label
        _sub(field, "fieldentry").text = entry


def _mattext(material: etree._Element, text: str, kind: str = "text/html") -> None:
    """Text to show; HTML stays escaped inside it, as the profile wants."""
    _sub(material, "mattext", texttype=kind).text = text


def _q(tag: str) -> str:
    """A QTI element name."""
    return f"{{{QTI}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """A QTI child element with these attributes."""
    return etree.SubElement(parent, _q(tag), attributes)
