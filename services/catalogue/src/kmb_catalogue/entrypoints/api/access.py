"""Who may call what on the catalogue, checked on the server for every request.

- the entries themselves (list, detail): workers, catalogue editors, administrators and partner
  organisations (a partner may see what the catalogue offers);
- anything about cases (suggestions, which case holds a place): workers, editors and administrators;
- taking and giving back a place for a case: workers, editors and administrators;
- creating, changing and withdrawing entries, changing their capacity, loading the demo catalogue:
  catalogue editors and administrators.

Anything about a case is scoped to the caller's organisation, whatever the role: another
organisation's case is not found (404, as intake answers), and lists of cases (who holds a place)
leave other organisations' cases out. A case's organisation is the one intake's ``CaseOpened`` said
(see :mod:`kmb_catalogue.application.cases`). The number of places taken stays visible to all
readers of an entry: it names no case.

The public leaflet needs no sign-in. Every change records ``principal.actor`` on its event.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from kmb_shared.auth import Principal, Role, require

ENTRY_READERS: tuple[str, ...] = (Role.WORKER, Role.CATALOGUE_EDITOR, Role.ADMIN, Role.PARTNER)
CASE_READERS: tuple[str, ...] = (Role.WORKER, Role.CATALOGUE_EDITOR, Role.ADMIN)
ALLOCATORS: tuple[str, ...] = (Role.WORKER, Role.CATALOGUE_EDITOR, Role.ADMIN)
EDITORS: tuple[str, ...] = (Role.CATALOGUE_EDITOR, Role.ADMIN)

EntryReader = Annotated[Principal, Depends(require(*ENTRY_READERS))]
CaseReader = Annotated[Principal, Depends(require(*CASE_READERS))]
Allocator = Annotated[Principal, Depends(require(*ALLOCATORS))]
Editor = Annotated[Principal, Depends(require(*EDITORS))]
