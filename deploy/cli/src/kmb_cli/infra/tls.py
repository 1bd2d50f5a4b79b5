"""TLS for the local broker's client listener: a self-signed CA and a broker certificate made by the
launcher for local use (``kmb kafka start --sasl --tls``, ``kmb up --tls``), kept in ``<var>/kafka/tls``.

``ca.pem`` (0644) is what clients trust (``KMB_KAFKA_SSL_CAFILE``); ``ca-key.pem`` and
``broker-key.pem`` are readable only by their owner. The broker reads them as PEM (Kafka's
``ssl.keystore.type=PEM``, ``ssl.truststore.type=PEM``). In production the certificates come from the
municipality's own CA instead (README, "TLS on the broker"); nothing here is meant for that.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: a local CA lives long enough not to expire under a developer; the broker's certificate a year
CA_DAYS, BROKER_DAYS = 3650, 365
#: the names the broker's certificate is valid for (clients connect to 127.0.0.1)
BROKER_NAMES = ("localhost",)
BROKER_ADDRESSES = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class TlsFiles:
    """The PEM files of one var dir's local CA and broker certificate."""

    folder: Path

    @property
    def ca(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca-key.pem"

    @property
    def broker_chain(self) -> Path:
        """The broker's certificate followed by the CA's."""
        return self.folder / "broker.pem"

    @property
    def broker_key(self) -> Path:
        return self.folder / "broker-key.pem"

    def complete(self) -> bool:
        return all(path.is_file() for path in (self.ca, self.ca_key, self.broker_chain, self.broker_key))


def tls_dir(var_dir: Path) -> Path:
    return var_dir.resolve() / "kafka" / "tls"


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    # PKCS#8, unencrypted: the form Kafka's PEM keystore reads without a key password
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` created with ``mode`` (a key is never readable by others, not even a moment)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    path.chmod(mode)


#: a CA signs certificates (and revocation lists), nothing else
_CA_USAGE = dict.fromkeys(
    ("content_commitment", "key_encipherment", "data_encipherment", "key_agreement", "encipher_only"), False
) | {"digital_signature": True, "key_cert_sign": True, "crl_sign": True, "decipher_only": False}


def new_ca(common_name: str = "KMB local Kafka CA") -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A self-signed CA key and certificate (also used by tests as "another CA")."""
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(**_CA_USAGE), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _broker_cert(
    ca_key: ec.EllipticCurvePrivateKey, ca: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    names: list[x509.GeneralName] = [x509.DNSName(name) for name in BROKER_NAMES]
    names += [x509.IPAddress(ipaddress.ip_address(address)) for address in BROKER_ADDRESSES]
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "KMB local Kafka broker")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=BROKER_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # the broker is a TLS server to clients and a TLS client to itself (between brokers)
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def write_ca(folder: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> Path:
    """Store a CA as ``ca.pem`` (0644) and ``ca-key.pem`` (0600) in ``folder``; return ``ca.pem``."""
    files = TlsFiles(folder)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # ca.pem is for everyone; the keys are 0600 each
    _write(files.ca_key, _key_pem(key), 0o600)
    _write(files.ca, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return files.ca


def ensure_tls(var_dir: Path) -> TlsFiles:
    """The var dir's CA and broker certificate, made once (kept across restarts, so clients keep
    trusting the same ``ca.pem``); a broker certificate within 30 days of its end is made anew."""
    files = TlsFiles(tls_dir(var_dir))
    if files.complete() and not _expiring(files.broker_chain):
        return files
    if files.ca.is_file() and files.ca_key.is_file():
        ca_key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
        assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
        ca = x509.load_pem_x509_certificate(files.ca.read_bytes())
    else:
        ca_key, ca = new_ca()
        write_ca(files.folder, ca_key, ca)
    key = _key()
    cert = _broker_cert(ca_key, ca, key)
    _write(files.broker_key, _key_pem(key), 0o600)
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    _write(files.broker_chain, chain, 0o644)
    return files


def _expiring(chain: Path) -> bool:
    cert = x509.load_pem_x509_certificate(chain.read_bytes())
    return cert.not_valid_after_utc - dt.datetime.now(dt.UTC) < dt.timedelta(days=30)


def pem_property(text: str) -> str:
    """A PEM text as one line of a Java properties file (newlines as ``\\n``, which Properties reads)."""
    return text.strip().replace("\n", "\\n")
