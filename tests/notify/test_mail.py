"""Sending through a real SMTP server on localhost: plain text plus HTML with the user's text
escaped, login, refused addresses, and clear errors when the server cannot be used."""

import pytest

from safetycore import mail


def test_a_message_arrives_as_text_and_html_with_user_text_escaped(smtp_server):
    sent = mail.send(
        [
            mail.Mail(
                to="anna@kommun.se",
                subject="Veckobrev v47",
                text="Uppgift: Belysning <gångtunneln> & trappan",
                html=f"<p>Uppgift: {mail.html_text('Belysning <gångtunneln> & trappan')}</p>",
            )
        ]
    )
    assert sent.sent == ["anna@kommun.se"]
    [got] = smtp_server.to("anna@kommun.se")
    assert got.subject == "Veckobrev v47"
    assert str(got.message["From"]) == "trygghet@kommun.se"
    assert got.message["Auto-Submitted"] == "auto-generated"
    assert "Belysning <gångtunneln> & trappan" in got.text
    assert "Belysning &lt;gångtunneln&gt; &amp; trappan" in got.html
    assert "<gångtunneln>" not in got.html


def test_login_and_a_refused_address_do_not_stop_the_others(smtp_server):
    smtp_server.refuse.add("gone@kommun.se")
    settings = mail.SmtpSettings.from_env(
        smtp_server.env(SAFETY_SMTP_USER="trygghet", SAFETY_SMTP_PASSWORD="hemligt")
    )
    mails = [
        mail.Mail(to=a, subject="s", text="t", html="<p>t</p>")
        for a in ("gone@kommun.se", "ok@kommun.se")
    ]
    result = mail.send(mails, settings)
    assert result.sent == ["ok@kommun.se"]
    assert "550" in result.refused["gone@kommun.se"]
    assert [m.to for m in smtp_server.messages] == [["ok@kommun.se"]]

    wrong = mail.SmtpSettings.from_env(
        smtp_server.env(SAFETY_SMTP_USER="trygghet", SAFETY_SMTP_PASSWORD="fel")
    )
    with pytest.raises(mail.MailError, match="refused the login of 'trygghet'"):
        mail.send(mails[1:], wrong)


def test_settings_missing_or_wrong_say_what_to_set():
    with pytest.raises(mail.MailNotConfigured, match="set SAFETY_SMTP_HOST and SAFETY_SMTP_FROM"):
        mail.SmtpSettings.from_env({})
    with pytest.raises(mail.MailNotConfigured, match="port number"):
        mail.SmtpSettings.from_env(
            {"SAFETY_SMTP_HOST": "h", "SAFETY_SMTP_FROM": "a@b.se", "SAFETY_SMTP_PORT": "smtp"}
        )
    tls = mail.SmtpSettings.from_env(
        {"SAFETY_SMTP_HOST": "h", "SAFETY_SMTP_FROM": "a@b.se", "SAFETY_SMTP_STARTTLS": "1"}
    )
    assert (tls.port, tls.starttls) == (587, True)
    assert "hemligt" not in repr(mail.SmtpSettings("h", 25, "a@b.se", "u", "hemligt"))


def test_a_server_that_does_not_answer_is_a_clear_error():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    settings = mail.SmtpSettings("127.0.0.1", port, "trygghet@kommun.se")
    with pytest.raises(mail.MailError, match="Could not send through the SMTP server") as exc:
        mail.send([mail.Mail("a@kommun.se", "s", "t", "<p>t</p>")], settings)
    assert exc.value.result.sent == []
