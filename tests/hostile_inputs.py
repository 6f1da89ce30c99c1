"""One list of hostile inputs for each of the page's two inputs from outside: the questionnaire's URL fragment
and the calculator's. The same strings go through CPython (tests/web), through Pyodide under Node
(tests/pyodide) and through the real page in Chromium (tests/site), so a case added here is checked
everywhere. Each string is a fragment as it follows `#` in a link.

Importable from any test folder: pyproject.toml puts tests/ on pytest's python path.
"""

from __future__ import annotations

from urllib.parse import quote

from decision import default_model

_QUESTIONS = [question.id for question in default_model().questions]
FIRST, LAST = _QUESTIONS[0], _QUESTIONS[-1]
# What a successful injection would do; the browser tests look for it.
PWN = "window.__pwned=1"

QUESTIONNAIRE = [
    f"<script>{PWN}</script>",
    f"{FIRST}=<script>{PWN}</script>",
    f'{FIRST}="><img src=x onerror={PWN}>',
    f"{LAST}='><svg/onload={PWN}>",
    f"<img src=x onerror={PWN}>=1",
    f"{FIRST}=javascript:{PWN}",
    "javascript:alert(1)=javascript:alert(1)",
    f"{FIRST}=%3Cscript%3E{quote(PWN)}%3C%2Fscript%3E",
    f"%3Cimg%20src%3Dx%20onerror%3D{quote(PWN)}%3E=%22%3E%3Csvg%20onload%3Dalert(1)%3E",
    "%3Cscript%3Ealert(document.domain)%3C%2Fscript%3E=1",
    f"{FIRST}=%253Cscript%253Ealert(1)%253C%252Fscript%253E",  # double-encoded
    f"{FIRST}=%E2%80%AE%3Cscript%3Ealert(1)",  # percent-encoded RIGHT-TO-LEFT OVERRIDE
    f"{FIRST}=\u202etpircs<\u202d&\u2066x\u2069=\u200f",  # raw bidi controls
    f"{FIRST}=stable&strict_format=\u202eyes\u202c&specialised_behaviour=voice",
    f"{FIRST}=" + "A" * 20_000,  # a very long value
    "&".join(f"k{i}=<b>{i}</b>" for i in range(400)),  # very many entries
    "&".join(f"q{i}={i}" for i in range(100)),
    "=" * 500,
    "&&&=&=&==",
    "===&&&=&a==b&%&%zz=%",
    "%",
    "%E0%A4%A",  # a truncated UTF-8 sequence
    "training_data=%ff%fe%00&%c3=yes",  # bytes that are not UTF-8
    "%00%01%0a%0d",
    f"{FIRST}=stable&{FIRST}=no",  # a question twice
    "prompt_result=unanswered&prompt_cost=yes",
    "unknown_question=1",
    f"{FIRST}=__proto__&__proto__[polluted]=1&constructor=prototype",
    "__proto__=polluted&constructor=x",
    f"</script><script>{PWN}</script>",
    "<iframe src=javascript:alert(1)>=<object data=x>",
    f"{FIRST}=<a href=javascript:{PWN}>x</a>",
    "strict_format=" + quote('"><img src=x onerror=alert(1)>', safe=""),
    "maintenance=" + quote("' onfocus='alert(1)' autofocus='", safe=""),
    "\U0001f642=\U0001f643&needs_knowledge=changing",
]

CALCULATOR = [
    "calls_per_month=<script>window.__pwned=1</script>",
    'epochs="><img src=x onerror="window.__pwned=1">',
    "<img src=x onerror=window.__pwned=1>=5",
    "calls_per_month=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E",
    "javascript:window.__pwned=1",
    "__proto__=polluted&constructor=x",
    "calls_per_month=" + "9" * 5000,
    "training_price=1e999&epochs=NaN",
    "calls_per_month=nan&epochs=-1&%zz=%&\U0001f642=1",
    "calls_per_month=1e400&prompt_tokens=1,000,000&x=<script>",
    "calls_per_month=abc&prompt_tokens=-5&tuned_prompt_tokens=999999999",
    "===&&&=&a==b",
    "%ff%fe=%00",
]

GAP = [
    "calculation=<script>window.__pwned=1</script>",
    'calculation=bar&correct="><img src=x onerror="window.__pwned=1">',
    "calculation=bar&<img src=x onerror=window.__pwned=1>=5",
    "calculation=plan&baseline_accuracy=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E",
    "javascript:window.__pwned=1",
    "calculation=__proto__&__proto__=polluted&constructor=x",
    "calculation=bar&items=" + "9" * 5000,
    "calculation=bar&correct=1e999&items=NaN&bar=inf",
    "calculation=paired&both_right=-1&%zz=%&\U0001f642=1",
    "calculation=independent&baseline_correct=1,000,000&candidate_items=<script>",
    "calculation=cost&calls_per_month=abc&cost_per_error=-5&baseline_accuracy=91",
    "===&&&=&a==b",
    "%ff%fe=%00",
]
