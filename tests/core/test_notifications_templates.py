"""The messages of issues 3 and 8 in simple French, their contexts checked, and the choice of a
notifier from a site's file. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.french import french_date, french_time
from core.notifications.channels import notifier_for
from core.notifications.notifier import Outgoing, Undeliverable
from core.notifications.schemas import Channel
from core.notifications.smtp import SmtpNotifier
from core.notifications.templates import ApplicationDecision, Template, render
from core.sites.loader import Site
from core.sites.schema import Mail, SiteFile, SiteStatus

PARIS = {"program": "DIGITAL", "site_name": "Paris"}

LINK = "https://essaim.example.org/suivi/abc-123"


def test_survey_link():
    context = PARIS | {"url": LINK, "expires_on": "2026-12-05"}
    rendered = render(Template.SURVEY_LINK, context, first_name="Awa")
    assert rendered.subject == "Formation DIGITAL : votre avis"
    assert f"Cliquez sur ce lien :\n{LINK}\n" in rendered.body
    assert f"jusqu'au {french_date(date(2026, 12, 5), weekday=True)}" in rendered.body
    assert "ne le donnez à personne" in rendered.body


def test_follow_up_link():
    context = PARIS | {"url": LINK, "expires_on": "2027-03-07", "months": 3}
    rendered = render(Template.FOLLOW_UP_LINK, context, first_name="Awa")
    assert rendered.subject == "Formation DIGITAL : et maintenant ?"
    assert rendered.body.startswith("Bonjour Awa,\n\nVotre formation est finie depuis 3 mois.")
    assert LINK in rendered.body


@pytest.mark.parametrize(
    "context",
    [
        PARIS | {"url": "javascript:alert(1)", "expires_on": "2026-12-05"},
        PARIS | {"url": LINK, "expires_on": "2026-12-05", "months": 0},
    ],
    ids=["not a web address", "no months"],
)
def test_a_link_message_takes_a_web_address_and_months(context):
    template = Template.FOLLOW_UP_LINK if "months" in context else Template.SURVEY_LINK
    with pytest.raises(ValueError):
        render(template, context, first_name="Awa")


def test_application_received():
    rendered = render(Template.APPLICATION_RECEIVED, PARIS, first_name="Awa")
    assert rendered.subject == "Formation DIGITAL : candidature reçue"
    assert rendered.body == (
        "Bonjour Awa,\n\n"
        "Nous avons bien reçu votre candidature.\n\n"
        "Formation : DIGITAL\n"
        "Lieu : Paris\n\n"
        "Nous allons étudier votre candidature.\n"
        "Ensuite, nous vous donnerons une réponse.\n"
        "Vous n'avez rien à faire pour le moment.\n\n"
        "Vous avez une question ? Répondez à ce message.\n\n"
        "L'équipe de formation\n"
        "Paris\n"
    )


def test_admission_names_the_first_day_when_known():
    context = PARIS | {"decision": "admitted", "starts_on": date(2026, 10, 5)}
    rendered = render(Template.APPLICATION_DECISION, context, first_name="Awa")
    assert rendered.subject == "Formation DIGITAL : votre candidature est acceptée"
    assert "Bonne nouvelle : votre candidature est acceptée." in rendered.body
    assert "Début : lundi 5 octobre 2026\n" in rendered.body
    without = render(Template.APPLICATION_DECISION, PARIS | {"decision": "admitted"}, first_name="")
    assert without.body.startswith("Bonjour,\n\n")
    assert "Début" not in without.body


def test_a_refusal_gives_its_reasons_in_plain_words():
    reasons = [
        "Il faut avoir 18 ans au début de la formation.",
        "Il faut parler français au niveau A2.\nLe Centre Alpha propose des cours.",
    ]
    rendered = render(
        Template.APPLICATION_DECISION,
        PARIS | {"decision": "refused", "reasons": reasons},
        first_name="Awa",
    )
    assert rendered.subject == "Formation DIGITAL : réponse à votre candidature"
    assert "Nous ne pouvons pas l'accepter pour le moment." in rendered.body
    assert (
        "Pourquoi ?\n"
        "- Il faut avoir 18 ans au début de la formation.\n"
        "- Il faut parler français au niveau A2. Le Centre Alpha propose des cours.\n"
    ) in rendered.body


def test_a_waitlist_offer_gives_the_deadline_in_the_sites_time():
    context = PARIS | {
        "cohort": "DIGITAL débutants automne",
        "deadline": datetime(2026, 9, 8, 16, 0, tzinfo=UTC),
        "starts_on": date(2026, 10, 1),
    }
    rendered = render(Template.WAITLIST_OFFER, context, first_name="Awa")
    assert rendered.subject == "Formation DIGITAL : une place est libre pour vous"
    assert "Groupe : DIGITAL débutants automne\n" in rendered.body
    assert "Début : jeudi 1er octobre 2026\n" in rendered.body
    assert "Répondez avant le mardi 8 septembre 2026 à 18 h.\n" in rendered.body
    assert "nous donnerons la place à une autre personne" in rendered.body


def test_french_dates_and_times_do_not_depend_on_the_locale():
    assert french_date(date(2027, 2, 1), weekday=True) == "lundi 1er février 2027"
    assert french_date(date(2026, 12, 25), weekday=True) == "vendredi 25 décembre 2026"
    assert french_date(date(2026, 10, 1)) == "1er octobre 2026"
    assert french_time(datetime(2026, 1, 1, 9, 5).time()) == "9 h 05"


@pytest.mark.parametrize(
    ("template", "context", "error"),
    [
        (Template.APPLICATION_DECISION, PARIS | {"decision": "refused"}, "at least one reason"),
        (Template.APPLICATION_DECISION, PARIS | {"decision": "maybe"}, "decision"),
        (Template.APPLICATION_RECEIVED, PARIS | {"notes": "x"}, "unknown field"),
        (Template.APPLICATION_RECEIVED, {"program": "A\nB", "site_name": "Paris"}, "program"),
        (
            Template.WAITLIST_OFFER,
            PARIS | {"cohort": "C", "deadline": datetime(2026, 9, 8, 16, 0)},
            "timezone-aware",
        ),
        (
            Template.WAITLIST_OFFER,
            PARIS
            | {"cohort": "C", "deadline": datetime(2026, 9, 8, 16, tzinfo=UTC), "timezone": "Mars"},
            "unknown time zone",
        ),
    ],
)
def test_a_wrong_context_is_refused(template, context, error):
    with pytest.raises(ValueError, match=error):
        render(template, context, first_name="Awa")


def test_a_context_struct_of_the_right_template_is_taken_as_it_is():
    context = ApplicationDecision(program="DIGITAL", site_name="Paris", decision="admitted")
    assert "acceptée" in render(Template.APPLICATION_DECISION, context, first_name="A").subject
    with pytest.raises(TypeError, match="takes ApplicationReceived, not ApplicationDecision"):
        render(Template.APPLICATION_RECEIVED, context, first_name="A")


def site(mail: Mail | None) -> Site:
    config = SiteFile(
        slug="lyon",
        name="Lyon",
        status=SiteStatus.ACTIVE,
        department="69",
        timezone="Europe/Paris",
        mail=mail,
    )
    return Site(config=config, programs={}, path=Path("sites/lyon.toml"), content_hash="0")


def test_a_site_without_mail_settings_has_no_email_notifier():
    with pytest.raises(Undeliverable, match=r"site 'lyon' has no \[mail\] block"):
        notifier_for(site(None), Channel.EMAIL, {})
    with pytest.raises(Undeliverable, match="site is not loaded"):
        notifier_for(None, Channel.EMAIL, {})


def test_the_password_comes_from_the_variable_the_site_file_names():
    mail = Mail(sender="lyon@essaim.example", host="smtp.example.org", password_env="LYON_SMTP")
    with pytest.raises(Undeliverable, match="environment variable LYON_SMTP"):
        notifier_for(site(mail), Channel.EMAIL, {})
    notifier = notifier_for(site(mail), Channel.EMAIL, {"LYON_SMTP": "s3cret"})
    assert isinstance(notifier, SmtpNotifier)
    assert notifier.channel is Channel.EMAIL


def test_sms_has_its_channel_but_no_provider_yet():
    mail = Mail(sender="lyon@essaim.example", host="smtp.example.org")
    with pytest.raises(Undeliverable, match="no SMS provider"):
        notifier_for(site(mail), Channel.SMS, {})


def test_the_email_is_plain_utf8_text_with_the_sites_sender():
    mail = Mail(sender="Essaim Lyon <lyon@essaim.example>", host="smtp.example.org")
    composed = SmtpNotifier(mail).compose(
        Outgoing(message_id=7, to="awa@example.org", subject="Réponse", body="Bonjour Awa,\n")
    )
    assert composed["From"] == "Essaim Lyon <lyon@essaim.example>"
    assert composed["Message-ID"].endswith("@essaim.example>")
    assert "essaim.7" in composed["Message-ID"]
    assert composed.get_content_type() == "text/plain"
    assert composed.get_content_charset() == "utf-8"
    with pytest.raises(Undeliverable, match="not valid"):
        SmtpNotifier(mail).compose(
            Outgoing(message_id=7, to="awa@example.org\r\nBcc: x@y.z", subject="R", body="B")
        )
