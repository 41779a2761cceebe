from collections.abc import Iterable

from werkzeug.datastructures import FileStorage
from wtforms import Field
from wtforms.fields import FileField as _FileField
from wtforms.fields import MultipleFileField as _MultipleFileField
from wtforms.form import BaseForm

class FileField(_FileField):
    data: FileStorage | None  # Flask-WTF narrows WTForms' data

class MultipleFileField(_MultipleFileField):
    data: list[FileStorage]  # Flask-WTF narrows WTForms' data

class FileRequired:
    def __init__(self, message: str | None = ...) -> None: ...
    def __call__(self, form: BaseForm, field: Field) -> None: ...

class FileAllowed:
    def __init__(self, upload_set: Iterable[str], message: str | None = ...) -> None: ...
    def __call__(self, form: BaseForm, field: Field) -> None: ...

class FileSize:
    def __init__(self, max_size: int, min_size: int = ..., message: str | None = ...) -> None: ...
    def __call__(self, form: BaseForm, field: Field) -> None: ...
