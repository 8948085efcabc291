"""OpenAPI examples of essays, descriptions and partly right choices (docs/question-kinds.md)."""

from drf_spectacular.utils import OpenApiExample

TEXT_KIND_EXAMPLES = [
    OpenApiExample(
        "Essay",
        request_only=True,
        value={
            "bank": 1,
            "kind": "essay",
            "text": "Explain, in your own words, why the Moon does not fall to the Earth.",
            "points": "5",
            "model_answer": "Full marks: it does fall, and misses; names gravity and speed.",
            "spec": {
                "min_words": 50,
                "max_words": 300,
                "response_template": "",
                "response_format": "plain",
            },
        },
    ),
    OpenApiExample(
        "Description",
        request_only=True,
        value={
            "bank": 1,
            "kind": "description",
            "text": "The next three questions are about orbits. Read chapter 3 first.",
        },
    ),
    OpenApiExample(
        "Multiple response scored per option",
        request_only=True,
        value={
            "bank": 1,
            "kind": "multiple_response",
            "text": "Which of these are planets?",
            "spec": {"scoring": "per_option"},
            "hints": ["There are eight."],
            "choices": [
                {"text": "Mars", "is_correct": True, "fraction": "0.5"},
                {"text": "Venus", "is_correct": True, "fraction": "0.5"},
                {"text": "The Moon", "is_correct": False, "fraction": "-1"},
            ],
        },
    ),
]
