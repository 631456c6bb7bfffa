"""Failed authentications: counted against what they aim at (a secret's prefix, a name at an address, an
address), never refusing a valid credential for others' failures, read behind trusted proxies only, and
counted atomically under concurrent failures."""

import threading

import pytest
from sqlalchemy import select

from app import create_app
from appeals.domain.models import AuthFailure
from appeals.services.auth_failures import MAX_FAILURES
from appeals.services.demo import DEMO_PASSWORD

SESSION, APPEALS = "/api/v1/session", "/api/v1/appeals"


def sign_in(client, name="town", password=DEMO_PASSWORD, address="10.0.0.1", **headers):
    return client.post(
        SESSION, json={"name": name, "password": password}, environ_base={"REMOTE_ADDR": address}, headers=headers
    )


def read(client, token, address="10.0.0.1", **headers):
    return client.get(
        APPEALS, headers={"Authorization": f"Bearer {token}", **headers}, environ_base={"REMOTE_ADDR": address}
    )


def test_a_busy_address_still_lets_every_valid_token_and_password_through(app, tokens):
    """The documented nginx, or a NAT: one address, many people. Someone there guessing does not lock the
    others out; their own further failures are told to wait."""
    client = app.test_client()
    for attempt in range(MAX_FAILURES):
        assert read(client, f"guess{attempt:03}").status_code == 401
    assert read(client, tokens["town"]).status_code == 200
    assert sign_in(client, name="village").status_code == 201
    told_to_wait = read(client, "guess999")
    assert told_to_wait.status_code == 429 and 0 < int(told_to_wait.headers["Retry-After"]) <= 15 * 60 + 1


def test_guesses_at_a_partly_known_token_are_refused_before_it_is_checked(app, tokens):
    client, real = app.test_client(), tokens["town"]
    for attempt in range(MAX_FAILURES):
        guess = real[:-3] + f"{attempt:03}"
        assert read(client, guess, address=f"10.0.1.{attempt}").status_code == 401
    assert read(client, real, address="10.0.2.1").status_code == 429  # that token has leaked: replace it
    assert read(client, tokens["village"], address="10.0.2.1").status_code == 200


@pytest.mark.slow
def test_password_guesses_at_one_name_from_one_address_are_refused_there_only(app, tokens, clock):
    client = app.test_client()
    for _ in range(MAX_FAILURES):
        assert sign_in(client, password="guess-guess").status_code == 401
    refused = sign_in(client)  # refused unchecked: the right password is no better than a guess here
    assert refused.status_code == 429 and refused.json["error"]["code"] == "too_many_attempts"
    assert sign_in(client, address="10.9.9.9").status_code == 201  # the person, elsewhere
    assert sign_in(client, name="village").status_code == 201  # someone else, here
    assert read(client, tokens["town"]).status_code == 200  # the person's token, here
    clock.advance(minutes=15)
    assert sign_in(client).status_code == 201  # the window has passed


@pytest.mark.slow
def test_without_trusted_proxies_x_forwarded_for_is_ignored(app, tokens):
    client = app.test_client()
    for attempt in range(MAX_FAILURES):
        spoofed = {"X-Forwarded-For": f"192.0.2.{attempt}"}
        assert sign_in(client, password="guess-guess", **spoofed).status_code == 401
    assert sign_in(client, **{"X-Forwarded-For": "192.0.2.200"}).status_code == 429


def configured(database_url, tmp_path, **config):
    """Another app on the test's database, with `config`."""
    files = {"ATTACHMENT_DIR": str(tmp_path / "files"), "TRANSPARENCY_KEY": tmp_path / "log.key"}
    return create_app({"DATABASE_URL": database_url, "TESTING": True, **files, **config})


@pytest.mark.slow
def test_behind_a_trusted_proxy_each_client_is_counted_by_its_forwarded_address(
    clean_database, clock, tmp_path, tokens
):
    proxied = configured(clean_database, tmp_path, CLOCK=clock, TRUSTED_PROXIES=1)
    try:
        client = proxied.test_client()
        for _ in range(MAX_FAILURES):  # from 198.51.100.1, forging a neighbour's address before its own
            forged = {"X-Forwarded-For": "203.0.113.7, 198.51.100.1"}
            assert sign_in(client, password="guess-guess", address="127.0.0.1", **forged).status_code == 401
        assert sign_in(client, address="127.0.0.1", **{"X-Forwarded-For": "203.0.113.7"}).status_code == 201
        attacker = {"X-Forwarded-For": "198.51.100.1"}
        assert sign_in(client, address="127.0.0.1", **attacker).status_code == 429
    finally:
        proxied.extensions["appealflow"].database.dispose()


def test_concurrent_failures_are_all_counted_and_none_is_a_500(app, runtime, tokens):
    """Every failure is one INSERT ... ON CONFLICT DO UPDATE: threads failing at once from one address
    neither collide on its row (the 500 of a unique violation) nor lose a count."""
    threads_count, attempts = 6, 4
    barrier, statuses, lock = threading.Barrier(threads_count), [], threading.Lock()

    def fail(number):
        client = app.test_client()
        barrier.wait()
        for attempt in range(attempts):
            response = read(client, f"t{number}a{attempt}-not-a-token", address="10.7.7.7")
            with lock:
                statuses.append(response.status_code)

    threads = [threading.Thread(target=fail, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == threads_count * attempts and set(statuses) <= {401, 429}
    assert statuses.count(401) >= MAX_FAILURES
    with runtime.uow() as uow:
        counted = uow.session.scalar(select(AuthFailure.failures).where(AuthFailure.subject == "address:10.7.7.7"))
    assert counted == threads_count * attempts


@pytest.mark.parametrize("proxies", [0, 2])
def test_the_number_of_trusted_proxies_is_read_from_the_environment(monkeypatch, proxies, clean_database, tmp_path):
    monkeypatch.setenv("TRUSTED_PROXIES", str(proxies))
    made = configured(clean_database, tmp_path)
    try:
        assert made.config["TRUSTED_PROXIES"] == proxies
        assert (type(made.wsgi_app).__name__ == "ProxyFix") is bool(proxies)
    finally:
        made.extensions["appealflow"].database.dispose()
