"""Forms for cohorts (Flask-WTF): every message says what to do."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from academy.facilitate.operations import MAX_ANSWER


class CohortForm(FlaskForm):
    """A new cohort: which course, a name, the language it is taught in, a start date."""

    course = SelectField(_l("Course"), validators=[InputRequired(_l("Choose a course."))])
    name = StringField(
        _l("Name of the group"),
        validators=[
            InputRequired(_l("Give the group a name.")),
            Length(max=80, message=_l("At most %(max)d characters.", max=80)),
        ],
    )
    language = SelectField(_l("Language"), validators=[InputRequired()])
    starts_on = DateField(
        _l("First session (optional)"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )


class JoinForm(FlaskForm):
    """The code a facilitator gave the trainee."""

    code = StringField(
        _l("Group code"),
        validators=[
            InputRequired(_l("Type the code your facilitator gave you.")),
            Length(max=20, message=_l("A code has 8 letters and numbers.")),
        ],
    )


class AnswerForm(FlaskForm):
    """A short, plain-text answer to a shared activity."""

    body = TextAreaField(
        _l("Your answer"),
        validators=[
            InputRequired(_l("Write something first.")),
            Length(max=MAX_ANSWER, message=_l("At most %(max)d characters.", max=MAX_ANSWER)),
        ],
    )


class SessionHeldForm(FlaskForm):
    """An in-person session: which module, when, and how many people came."""

    module = SelectField(_l("Module"), validators=[InputRequired()])
    held_on = DateField(
        _l("Date"), validators=[InputRequired(_l("Give the date."))], render_kw={"type": "date"}
    )
    present = IntegerField(
        _l("Number of people present"),
        validators=[
            InputRequired(_l("Give the number of people.")),
            NumberRange(min=0, max=1000, message=_l("A number from 0 to 1000.")),
        ],
    )
