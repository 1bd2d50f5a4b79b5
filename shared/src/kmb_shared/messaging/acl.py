"""ACLs and SCRAM users on the brokers through the Kafka protocol.

aiokafka's admin client has no call for them (and its ACL request structs stop at v1, which Kafka 4
no longer accepts), so this module defines the flexible versions of CreateAcls, DeleteAcls, DescribeAcls
(v3) and AlterUserScramCredentials (v0) with aiokafka's protocol types and sends them through an
``AIOKafkaAdminClient``. The SCRAM salted password is computed here (PBKDF2-HMAC-SHA-512, RFC 5802),
as Kafka's own admin client does: the password itself never travels.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import for_code
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import CompactArray, CompactBytes, CompactString, Int8, Int16, Int32, Schema
from aiokafka.protocol.types import TaggedFields as Tags

from .kafka import bootstrap_servers
from .security import KafkaCredentials, client_options

SCRAM_SHA_512 = 2  # the mechanism's number in AlterUserScramCredentials
SCRAM_ITERATIONS = 8192  # Kafka accepts 4096 and more for SCRAM-SHA-512
_RESOURCE_NOT_FOUND = 91


class ResourceType(enum.IntEnum):
    ANY = 1
    TOPIC = 2
    GROUP = 3
    CLUSTER = 4
    TRANSACTIONAL_ID = 5


class Pattern(enum.IntEnum):
    ANY = 1
    LITERAL = 3
    PREFIXED = 4


class Operation(enum.IntEnum):
    ANY = 1
    ALL = 2
    READ = 3
    WRITE = 4
    CREATE = 5
    DELETE = 6
    ALTER = 7
    DESCRIBE = 8
    IDEMPOTENT_WRITE = 12


ALLOW, ANY_PERMISSION = 3, 1


@dataclass(frozen=True, order=True)
class AclBinding:
    """One ALLOW rule: ``principal`` may ``operation`` the resource named (or prefixed) ``name``."""

    principal: str
    resource: ResourceType
    name: str
    pattern: Pattern
    operation: Operation
    host: str = "*"

    def __str__(self) -> str:
        how = "prefix " if self.pattern is Pattern.PREFIXED else ""
        return f"{self.principal} {self.operation.name} {self.resource.name} {how}{self.name}"


class AclError(RuntimeError):
    """The broker refused an ACL or SCRAM change; the message says which and why."""


# --- the requests (Kafka's message specs: CreateAcls, DeleteAcls, DescribeAcls v2-3 and
# AlterUserScramCredentials v0 are "flexible": compact strings and arrays, tagged fields) ---


class _CreateAclsResponse(Response):
    API_KEY = 30
    API_VERSION = 3
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "results",
            CompactArray(("error_code", Int16), ("error_message", CompactString("utf-8")), ("tags", Tags)),
        ),
        ("tags", Tags),
    )


#: one ACL binding on the wire (CreateAcls' creations, the bindings a deletion matched)
_BINDING = (
    ("resource_type", Int8),
    ("resource_name", CompactString("utf-8")),
    ("pattern_type", Int8),
    ("principal", CompactString("utf-8")),
    ("host", CompactString("utf-8")),
    ("operation", Int8),
    ("permission_type", Int8),
    ("tags", Tags),
)


class _CreateAclsStruct(RequestStruct):
    FLEXIBLE_VERSION = True
    API_KEY = 30
    API_VERSION = 3
    RESPONSE_TYPE = _CreateAclsResponse
    SCHEMA = Schema(
        (
            "creations",
            CompactArray(*_BINDING),
        ),
        ("tags", Tags),
    )


class _CreateAcls(Request[_CreateAclsStruct]):
    API_KEY = 30

    def __init__(self, bindings: Sequence[AclBinding]) -> None:
        self.rows = [_rule(b) for b in bindings]

    def build(self, request_struct_class: type[_CreateAclsStruct]) -> _CreateAclsStruct:
        return request_struct_class(self.rows, {})


_MATCHING = CompactArray(("error_code", Int16), ("error_message", CompactString("utf-8")), *_BINDING)


class _DeleteAclsResponse(Response):
    API_KEY = 31
    API_VERSION = 3
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "filter_results",
            CompactArray(
                ("error_code", Int16),
                ("error_message", CompactString("utf-8")),
                ("matching_acls", _MATCHING),
                ("tags", Tags),
            ),
        ),
        ("tags", Tags),
    )


#: a filter of DescribeAcls and DeleteAcls has the fields of a binding (None matching any)
_FILTER = _BINDING


class _DeleteAclsStruct(RequestStruct):
    FLEXIBLE_VERSION = True
    API_KEY = 31
    API_VERSION = 3
    RESPONSE_TYPE = _DeleteAclsResponse
    SCHEMA = Schema(("filters", CompactArray(*_FILTER)), ("tags", Tags))


_Filter: TypeAlias = tuple[int, str | None, int, str | None, str | None, int, int, dict[int, bytes]]


def _rule(b: AclBinding) -> _Filter:
    """One binding as a row of CreateAcls or (exactly matching) DeleteAcls."""
    empty: dict[int, bytes] = {}
    return (b.resource, b.name, b.pattern, b.principal, b.host, b.operation, ALLOW, empty)


def _principal_filter(principal: str | None) -> _Filter:
    return (ResourceType.ANY, None, Pattern.ANY, principal, None, Operation.ANY, ANY_PERMISSION, {})


class _DeleteAcls(Request[_DeleteAclsStruct]):
    API_KEY = 31

    def __init__(self, filters: Sequence[_Filter]) -> None:
        self.filters = list(filters)

    def build(self, request_struct_class: type[_DeleteAclsStruct]) -> _DeleteAclsStruct:
        return request_struct_class(self.filters, {})


class _DescribeAclsResponse(Response):
    API_KEY = 29
    API_VERSION = 3
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("error_code", Int16),
        ("error_message", CompactString("utf-8")),
        (
            "resources",
            CompactArray(
                ("resource_type", Int8),
                ("resource_name", CompactString("utf-8")),
                ("pattern_type", Int8),
                (
                    "acls",
                    CompactArray(
                        ("principal", CompactString("utf-8")),
                        ("host", CompactString("utf-8")),
                        ("operation", Int8),
                        ("permission_type", Int8),
                        ("tags", Tags),
                    ),
                ),
                ("tags", Tags),
            ),
        ),
        ("tags", Tags),
    )


class _DescribeAclsStruct(RequestStruct):
    FLEXIBLE_VERSION = True
    API_KEY = 29
    API_VERSION = 3
    RESPONSE_TYPE = _DescribeAclsResponse
    SCHEMA = Schema(*_FILTER)


class _DescribeAcls(Request[_DescribeAclsStruct]):
    API_KEY = 29

    def __init__(self, principal: str | None) -> None:
        self.filter = _principal_filter(principal)

    def build(self, request_struct_class: type[_DescribeAclsStruct]) -> _DescribeAclsStruct:
        return request_struct_class(*self.filter)


class _AlterScramResponse(Response):
    API_KEY = 51
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "results",
            CompactArray(
                ("user", CompactString("utf-8")),
                ("error_code", Int16),
                ("error_message", CompactString("utf-8")),
                ("tags", Tags),
            ),
        ),
        ("tags", Tags),
    )


class _AlterScramStruct(RequestStruct):
    FLEXIBLE_VERSION = True
    API_KEY = 51
    API_VERSION = 0
    RESPONSE_TYPE = _AlterScramResponse
    SCHEMA = Schema(
        ("deletions", CompactArray(("name", CompactString("utf-8")), ("mechanism", Int8), ("tags", Tags))),
        (
            "upsertions",
            CompactArray(
                ("name", CompactString("utf-8")),
                ("mechanism", Int8),
                ("iterations", Int32),
                ("salt", CompactBytes),
                ("salted_password", CompactBytes),
                ("tags", Tags),
            ),
        ),
        ("tags", Tags),
    )


class _AlterScram(Request[_AlterScramStruct]):
    API_KEY = 51

    def __init__(self, deletions: list[tuple[Any, ...]], upsertions: list[tuple[Any, ...]]) -> None:
        self.deletions, self.upsertions = deletions, upsertions

    def build(self, request_struct_class: type[_AlterScramStruct]) -> _AlterScramStruct:
        return request_struct_class(self.deletions, self.upsertions, {})


# --- what the launcher and the CLI call ---


@contextlib.asynccontextmanager
async def admin_client(
    bootstrap: str, security: KafkaCredentials | None = None, timeout_ms: int = 15_000
) -> AsyncIterator[AIOKafkaAdminClient]:
    """An admin client with ``security`` (None: this process's ``KMB_KAFKA_*``), closed afterwards."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers(bootstrap),
        request_timeout_ms=timeout_ms,
        **client_options(security),
    )
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


def _raise_for(code: int, message: str | None, what: str) -> None:
    if code:
        name = for_code(code).__name__
        raise AclError(f"{what}: {name} (error {code}){f': {message}' if message else ''}")


async def create_acls(admin: AIOKafkaAdminClient, bindings: Iterable[AclBinding]) -> None:
    """Add the ALLOW rules (one that exists already is left as it is)."""
    wanted = sorted(set(bindings))
    if not wanted:
        return
    response = await admin._send_request(_CreateAcls(wanted))
    for binding, (code, message, _) in zip(wanted, response.results, strict=True):
        _raise_for(code, message, f"could not create ACL {binding}")


async def describe_acls(admin: AIOKafkaAdminClient, principal: str | None = None) -> set[AclBinding]:
    """The ALLOW rules of ``principal`` (None: everyone's)."""
    response = await admin._send_request(_DescribeAcls(principal))
    _raise_for(response.error_code, response.error_message, "could not list ACLs")
    found = set()
    for rtype, name, pattern, acls, _ in response.resources:
        for who, host, operation, permission, _ in acls:
            if permission == ALLOW:
                found.add(
                    AclBinding(who, ResourceType(rtype), name, Pattern(pattern), Operation(operation), host)
                )
    return found


async def delete_acls(admin: AIOKafkaAdminClient, principal: str) -> int:
    """Remove every rule of ``principal``; return how many went."""
    response = await admin._send_request(_DeleteAcls([_principal_filter(principal)]))
    removed = 0
    for code, message, matching, _ in response.filter_results:
        _raise_for(code, message, f"could not delete the ACLs of {principal}")
        removed += len(matching)
    return removed


async def sync_acls(admin: AIOKafkaAdminClient, principal: str, bindings: Iterable[AclBinding]) -> None:
    """Make ``principal``'s rules exactly ``bindings``: add the missing, remove the others."""
    wanted = set(bindings)
    current = await describe_acls(admin, principal)
    stale = current - wanted
    if stale:
        await admin._send_request(_DeleteAcls([_rule(b) for b in sorted(stale)]))
    await create_acls(admin, wanted - current)


def salted_password(password: str, salt: bytes, iterations: int = SCRAM_ITERATIONS) -> bytes:
    """SCRAM's SaltedPassword: Hi(password, salt, i) = PBKDF2-HMAC-SHA-512."""
    return hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)


async def upsert_scram_user(admin: AIOKafkaAdminClient, name: str, password: str) -> None:
    """Create the SCRAM-SHA-512 user ``name`` or change its password."""
    salt = secrets.token_bytes(32)
    row: tuple[Any, ...] = (name, SCRAM_SHA_512, SCRAM_ITERATIONS, salt, salted_password(password, salt), {})
    response = await admin._send_request(_AlterScram([], [row]))
    for user, code, message, _ in response.results:
        _raise_for(code, message, f"could not set the password of {user}")


async def delete_scram_user(admin: AIOKafkaAdminClient, name: str) -> bool:
    """Remove the SCRAM-SHA-512 user ``name``; False if there was none."""
    response = await admin._send_request(_AlterScram([(name, SCRAM_SHA_512, {})], []))
    for user, code, message, _ in response.results:
        if code == _RESOURCE_NOT_FOUND:
            return False
        _raise_for(code, message, f"could not delete the user {user}")
    return True


def new_password() -> str:
    """A fresh random password (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)
