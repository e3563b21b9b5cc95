"""Reading the app's form pages in tests."""


def page_forms(response) -> list:
    """The forms on a form page: `sections` is a list of (title, form) pairs."""
    return [form for _, form in response.context["sections"]]


def page_form(response):
    (form,) = page_forms(response)
    return form
