"""A tiny stand-in for a browser in HTTP-level end-to-end tests: follows redirects, keeps
cookies (requests does both) and reads forms from HTML with the standard library parser."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

from tests.support.answer_key import CORRECT_OPTIONS, SHORT_ANSWER_QUESTION


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    # name -> [(value, label text)] for radio buttons and checkboxes
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._pending_option: tuple[str, str] | None = None
        self._label_text: list[str] = []
        self._in_label = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            )
        elif tag == "label":
            self._in_label = True
            self._label_text = []
        elif tag == "input" and self.forms:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                self._pending_option = (a["name"], a.get("value", "on"))
            elif a.get("name"):
                self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "textarea" and self.forms:
            self._textarea = a.get("name")

    def handle_data(self, data: str) -> None:
        if self._in_label:
            self._label_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._in_label = False
            if self._pending_option and self.forms:
                name, value = self._pending_option
                text = " ".join("".join(self._label_text).split())
                self.forms[-1].options.setdefault(name, []).append((value, text))
            self._pending_option = None
        elif tag == "textarea" and self._textarea and self.forms:
            self.forms[-1].fields.setdefault(self._textarea, "")
            self._textarea = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def submit(
    session: requests.Session, page: requests.Response, form: Form, data: dict
) -> requests.Response:
    url = urljoin(page.url, form.action) if form.action else page.url
    if form.method == "post":
        return session.post(url, data=data, timeout=30)
    return session.get(url, params=data, timeout=30)


def lms_launch(
    lms_url: str, person_id: int, *, mode: str = "iframe"
) -> tuple[requests.Session, requests.Response]:
    """Click the activity in the practice course as that person's browser would (`mode`: the
    course shows the tool in an "iframe" or a new "window")."""
    browser = requests.Session()
    page = browser.get(f"{lms_url}/practice-lms/launch/{person_id}/?mode={mode}", timeout=30)
    # The platform auto-posts the login initiation; the tool redirects to the platform's auth
    # endpoint, which auto-posts the id_token back to the tool.
    while forms := forms_in(page.text):
        if "id_token" not in forms[0].fields and "iss" not in forms[0].fields:
            break
        page = submit(browser, page, forms[0], forms[0].fields)
    assert page.status_code == 200, page.text
    assert "/lti/activity/" in page.url
    return browser, page


def answer_quiz(
    browser: requests.Session, home: requests.Response, *, short_answer: str, wrong: int = 0
):
    """Answer the quiz page as a student reading it would: each choice question from the answer
    key by its text (the first `wrong` of them wrongly), and submit; returns the response, the
    form and the data sent."""
    quiz = browser.get(home.url + "quiz/", timeout=30)
    assert quiz.status_code == 200
    form = forms_in(quiz.text)[0]
    data = dict(form.fields)
    answered_wrong = 0
    for name, options in form.options.items():
        if not name.startswith("q-"):
            continue  # a question's "Flag for later" box
        question = question_text(quiz.text, name)
        correct = CORRECT_OPTIONS[question]
        value = next(value for value, text in options if text == correct)
        if answered_wrong < wrong:
            value = next(value for value, text in options if text != correct)
            answered_wrong += 1
        data[name] = value
    text_fields = [name for name in form.fields if name.endswith("-text")]
    assert len(text_fields) == 1
    assert SHORT_ANSWER_QUESTION in quiz.text
    data[text_fields[0]] = short_answer
    return submit(browser, quiz, form, data), form, data


def question_text(html: str, field_name: str) -> str:
    slot = field_name.removeprefix("q-")
    fieldset = html.split(f'id="question-{slot}"', 1)[1]
    text = fieldset.split('class="question-text rich"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    return text.strip().replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
