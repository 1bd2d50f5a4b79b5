"""The message table: every error code of the intake domain with its Czech and English text.

Texts are ``str.format`` templates; a placeholder with no value is left as it is rather than
failing, so a message can always be rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Any


@dataclass(frozen=True)
class Message:
    cs: str
    en: str


MESSAGES: Mapping[str, Message] = {
    # generic input problems (also the targets of pydantic's built-in error types)
    "required": Message("Povinný údaj chybí.", "This field is required."),
    "unknown_field": Message("Neznámá položka.", "Unknown field."),
    "invalid_value": Message("Neplatná hodnota.", "Invalid value."),
    "invalid_type": Message("Nesprávný typ hodnoty.", "Wrong type of value."),
    "invalid_number": Message("Zadejte číslo.", "Enter a number."),
    "invalid_date": Message("Zadejte platné datum (RRRR-MM-DD).", "Enter a valid date (YYYY-MM-DD)."),
    "invalid_uuid": Message("Neplatný identifikátor.", "Invalid identifier."),
    "invalid_bool": Message("Zadejte ano, nebo ne.", "Enter yes or no."),
    "json_invalid": Message("Tělo požadavku není platný JSON.", "The request body is not valid JSON."),
    "body_invalid": Message("Tělo požadavku nelze přečíst.", "The request body cannot be read."),
    "too_long": Message(
        "Text je příliš dlouhý (nejvýše {max_length} znaků).",
        "The text is too long (at most {max_length} characters).",
    ),
    "too_short": Message(
        "Text je příliš krátký (alespoň {min_length} znaků).",
        "The text is too short (at least {min_length} characters).",
    ),
    "too_small": Message("Hodnota musí být alespoň {ge}.", "The value must be at least {ge}."),
    "too_large": Message("Hodnota smí být nejvýše {le}.", "The value must be at most {le}."),
    "too_few_items": Message("Uveďte alespoň {min_length} položku.", "Give at least {min_length} item."),
    "too_many_decimals": Message(
        "Nejvýše {decimal_places} desetinná místa.", "At most {decimal_places} decimal places."
    ),
    "unknown_code": Message(
        "Neznámá hodnota „{value}“ v číselníku {code_list}. Povolené hodnoty: {allowed}.",
        "Unknown value '{value}' in the code list {code_list}. Allowed values: {allowed}.",
    ),
    # amounts and dates
    "negative_amount": Message("Částka nesmí být záporná.", "The amount must not be negative."),
    "negative_value": Message("Hodnota nesmí být záporná.", "The value must not be negative."),
    "date_in_future": Message("Datum nesmí být v budoucnosti.", "The date must not be in the future."),
    "birth_date_in_future": Message(
        "Datum narození nesmí být v budoucnosti.", "The date of birth must not be in the future."
    ),
    "birth_date_implausible": Message(
        "Datum narození je před více než {max_age} lety.", "The date of birth is over {max_age} years ago."
    ),
    # household
    "no_members": Message(
        "Domácnost musí mít alespoň jednoho člena.", "The household must have at least one member."
    ),
    "applicant_count": Message(
        "Domácnost musí mít právě jednoho žadatele (vztah „žadatel“), nyní {count}.",
        "The household must have exactly one applicant (relationship 'applicant'), now {count}.",
    ),
    "dependent_child_age": Message(
        "Zda je člen nezaopatřené dítě (studuje, nebo se pro nemoc nemůže soustavně připravovat na"
        " povolání), se uvádí jen u členů ve věku 15 až 25 let; tomuto členovi je {age_cs}."
        " Ponechte „Nezjištěno“.",
        "Whether a member is a dependent child (studies, or cannot prepare for an occupation because"
        " of illness) is recorded only for members aged 15 to 25; this member is {age_en}."
        " Leave it 'Not established'.",
    ),
    # birth number (rodné číslo)
    "birth_number_format": Message(
        "Rodné číslo musí mít 9 nebo 10 číslic, případně s lomítkem (RRMMDD/XXXX).",
        "The birth number must have 9 or 10 digits, optionally with a slash (YYMMDD/XXXX).",
    ),
    "birth_number_check_digit_missing": Message(
        "Rodná čísla přidělená od roku 1954 mají 10 číslic.",
        "Birth numbers issued since 1954 have 10 digits.",
    ),
    "birth_number_checksum": Message(
        "Rodné číslo nemá platnou kontrolní číslici (dělitelnost 11).",
        "The birth number has an invalid check digit (divisibility by 11).",
    ),
    "birth_number_date": Message(
        "Rodné číslo neobsahuje platné datum narození.", "The birth number does not contain a valid date."
    ),
    "birth_number_mismatch": Message(
        "Datum v rodném čísle ({birth_number_date}) neodpovídá datu narození ({date_of_birth}).",
        "The date in the birth number ({birth_number_date}) does not match the date of birth "
        "({date_of_birth}).",
    ),
    # contact details and address
    "invalid_email": Message("Neplatná e-mailová adresa.", "Invalid e-mail address."),
    "invalid_phone": Message(
        "Neplatné telefonní číslo. Zadejte 9 číslic (např. 777 123 456) nebo mezinárodní tvar "
        "s předvolbou (+420 777 123 456).",
        "Invalid phone number. Enter 9 digits (e.g. 777 123 456) or the international form "
        "with a country code (+420 777 123 456).",
    ),
    "invalid_orp_code": Message("Kód ORP musí mít 4 číslice.", "The ORP code must have 4 digits."),
    "invalid_postal_code": Message(
        "PSČ musí mít 5 číslic (např. 170 00).", "The postcode must have 5 digits."
    ),
    "invalid_slug": Message(
        "Neplatný identifikátor partnera (malá písmena, číslice, pomlčky).",
        "Invalid partner identifier (lower-case letters, digits, hyphens).",
    ),
    # consent, contacts, closing
    "consent_or_legal_basis_required": Message(
        "Zaznamenejte souhlas se zpracováním osobních údajů, nebo uveďte právní titul zpracování.",
        "Record the consent to processing of personal data, or give the legal basis used instead.",
    ),
    "subject_query_required": Message(
        "Zadejte rodné číslo, nebo jméno a příjmení s datem narození.",
        "Give the birth number, or the name with the date of birth.",
    ),
    "no_topics": Message("Uveďte alespoň jedno téma kontaktu.", "Give at least one topic of the contact."),
    "anonymous_contact_with_case": Message(
        "Anonymní kontakt nelze připojit k případu.", "An anonymous contact cannot be linked to a case."
    ),
    "note_required_for_other": Message(
        "U důvodu „jiný“ uveďte poznámku.", "Give a note when the reason is 'other'."
    ),
    # domain errors (not input validation)
    "case_already_closed": Message("Případ je již uzavřen.", "The case is already closed."),
    "case_already_open": Message("Případ je již otevřen.", "The case is already open."),
    "invalid_case_number": Message(
        "Neplatné číslo případu „{value}“ (očekáváno KMB-RRRR-NNNNN).",
        "Invalid case number '{value}' (expected KMB-YYYY-NNNNN).",
    ),
}


class _LenientFormatter(Formatter):
    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        if isinstance(key, str) and key not in kwargs:
            return "{" + key + "}"
        return super().get_value(key, args, kwargs)


_FORMATTER = _LenientFormatter()


def render(code: str, params: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """Return (Czech, English) text of a code; an unknown code renders as ``invalid_value``."""
    message = MESSAGES.get(code, MESSAGES["invalid_value"])
    values = dict(params or {})
    return _FORMATTER.format(message.cs, **values), _FORMATTER.format(message.en, **values)
