"""The product's answer key (the lesson author's answer key), as the end-to-end tests answer it.

Question text → the exact option text that is correct; question 8 is a short answer.
"""

TITLE = "Distillation Tradeoffs: When Smaller Models Quietly Lose"

CORRECT_OPTIONS = {
    'What is the main idea of "Distillation Tradeoffs: When Smaller Models Quietly Lose"?': (
        "Distilled models look great on aggregate evals but quietly lose long-tail capabilities "
        "— the tradeoff matrix matters for production decisions."
    ),
    f'Which concept is most central to "{TITLE}"?': ("distillation"),
    "Which use of AI fits this topic best?": (
        "Draft tradeoff matrices comparing teacher vs distilled across capability dimensions."
    ),
    "Which limitation should you watch for in this topic?": (
        "Decide acceptable capability loss for your workload."
    ),
    'What should a careful learner remember about "Distillation tradeoff matrix"?': (
        "Use AI to draft or organize ideas about distillation, then verify before acting."
    ),
    "You want to use AI after this lesson. What is the safest next step?": (
        "Use AI for drafting and comparison, but verify before publishing or relying on it."
    ),
    "How should AI output about distillation be treated?": (
        "As a draft or helper output that still needs human judgment and verification"
    ),
    'Which action would help you apply "Distillation Tradeoffs: When Smaller Models Quietly '
    'Lose" responsibly?': "Generate long-tail eval prompts to surface hidden regressions.",
    "Which choice is a bad use of AI for this lesson?": (
        "Replace production shadow-traffic testing."
    ),
}
SHORT_ANSWER_QUESTION = "Name one way to verify an AI answer about distillation."
SHORT_ANSWER_CORRECT = "Check it against the original paper, a trusted source."
SHORT_ANSWER_UNMATCHED = "I would think about it carefully."
