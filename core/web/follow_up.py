"""The learner's pages behind a personal link (``/suivi/<secret>``): the satisfaction survey
and the follow-up after the training, answered without signing in, on a phone first, in
simple French. They call ``core.surveys``, as the API's links do.

A link that does not answer shows what to do (contact the training's team) and nothing
else: 404 for an unknown link, 410 for an expired or answered one. A form sent to a link
that closed meanwhile is shown again as typed, with the reason in place (409).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.auth.access import EVERYONE, access
from core.errors import InvalidField, ServiceError
from core.runtime import Runtime
from core.surveys import answers
from core.surveys.links import PATH, LinkState, OpenedLink, link_path, open_link
from core.surveys.schemas import LinkPurpose
from core.web.access import PAGE_ERRORS
from core.web.follow_up_form import (
    CONTRACTS,
    FORM,
    HELPED,
    MARKS,
    SITUATIONS,
    FollowUpForm,
    Posted,
    SurveyForm,
)
from core.web.guard import Guard, TooManySubmissions, too_many
from core.web.i18n import gettext as _

THANKS = "merci"
SECRET_MAX = 100
"""Longer than any secret Essaim makes: such an address is unknown without a query."""
PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
"""The address holds the learner's secret: kept out of caches, referrers and search engines."""
Secret = Annotated[str, PathParameter()]
_STATUS = {LinkState.UNKNOWN: 404, LinkState.EXPIRED: 410, LinkState.ANSWERED: 410}

Form = SurveyForm | FollowUpForm

GUESSES = Guard(form="personal_link", limit=20)
"""Unknown links opened from one client address within an hour: past it, every link answers
429 for a while, so that nobody can try secrets one after another."""


class FollowUpPageController(Controller):
    """The survey and follow-up pages, public: the secret address is the credential."""

    path = PATH + "/{secret:str}"
    include_in_schema = False
    opt = access(EVERYONE)
    exception_handlers = {**PAGE_ERRORS, TooManySubmissions: too_many}  # type: ignore[dict-item]

    @get()
    async def show(
        self,
        secret: Secret,
        runtime: NamedDependency[Runtime],
        thanks: Annotated[bool, QueryParameter(name=THANKS)] = False,
    ) -> Template:
        """The link's form, the thanks once answered, or what to do when it does not answer."""
        link = await _opened(runtime, secret)
        if link is None or link.state is not LinkState.OPEN:
            state = link.state if link is not None else LinkState.UNKNOWN
            if state is LinkState.ANSWERED and thanks:
                return _render("follow_up/thanks.html", {})
            return _closed(state)
        form: Form = SurveyForm() if link.purpose is LinkPurpose.SURVEY else FollowUpForm()
        return _page(link, form, secret)

    @post(status_code=303)
    async def answer(
        self, secret: Secret, request: Request, runtime: NamedDependency[Runtime]
    ) -> Template | Redirect:
        """Record the answer and thank the learner; on an error show the form again as
        typed, each message next to its field."""
        link = await _opened(runtime, secret)
        if link is None:
            return _closed(LinkState.UNKNOWN)
        posted = await request.form()
        form: Form
        if link.purpose is LinkPurpose.SURVEY:
            form = SurveyForm.from_post(_values(posted))
            survey = form.check()
            if survey is not None:
                try:
                    await answers.answer_survey(runtime, secret, survey)
                except answers.LinkClosed as closed:
                    return _page(link, form, secret, refused=closed.state)
                return _thanks(secret)
        else:
            form = FollowUpForm.from_post(_values(posted))
            outcome = form.check()
            if outcome is not None:
                try:
                    await answers.answer_follow_up(runtime, secret, outcome)
                except answers.LinkClosed as closed:
                    return _page(link, form, secret, refused=closed.state)
                except InvalidField as wrong:
                    form.refused(wrong.field)
                except ServiceError:
                    # The enrolment changed since the link was sent (a transfer, say).
                    form.refused(None)
                    return _page(link, form, secret, status_code=409)
                else:
                    return _thanks(secret)
        if link.state is not LinkState.OPEN:
            return _page(link, form, secret, refused=link.state)
        return _page(link, form, secret, status_code=422)


def _values(posted: Any) -> Posted:
    """Every value posted for a field name, none for a field not sent."""

    def values(name: str) -> list[str]:
        return [str(value) for value in posted.getall(name, [])]

    return values


async def _opened(runtime: Runtime, secret: str) -> OpenedLink | None:
    """The link behind ``secret``, or None; past ``GUESSES``' limit of unknown links from the
    client's address, TooManySubmissions whatever the secret."""
    await GUESSES.check(runtime.clock)
    link = await open_link(runtime, secret) if secret and len(secret) <= SECRET_MAX else None
    if link is None:
        await GUESSES.count(runtime.clock)
    return link


def _render(name: str, context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(
        name, context={"user": None, **context}, status_code=status_code, headers=PRIVATE
    )


def _closed(state: LinkState) -> Template:
    return _render("follow_up/closed.html", {"state": state.value}, _STATUS[state])


def _thanks(secret: str) -> Redirect:
    return Redirect(f"{link_path(secret)}?{THANKS}=1", status_code=303, headers=PRIVATE)


def _refusal(state: LinkState) -> str:
    if state is LinkState.ANSWERED:
        return _("You have already answered: your first answer is kept. Thank you!")
    return _(
        "This link no longer works. Nothing was recorded. Contact the team of your training: "
        "they can send you a new link."
    )


def _page(
    link: OpenedLink,
    form: Form,
    secret: str,
    *,
    refused: LinkState | None = None,
    status_code: int = 200,
) -> Template:
    """The link's form; a refusal of the whole form goes first among the errors."""
    if refused is not None:
        form.errors = {FORM: _refusal(refused), **form.errors}
        status_code = 409
    survey = link.purpose is LinkPurpose.SURVEY
    return _render(
        "follow_up/survey.html" if survey else "follow_up/follow_up.html",
        {
            "link": link,
            "form": form,
            "action": link_path(secret),
            "marks": MARKS,
            "helped": HELPED,
            "situations": SITUATIONS,
            "contracts": tuple(CONTRACTS),
            "form_key": FORM,
        },
        status_code,
    )
