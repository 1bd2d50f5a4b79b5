"""The project's test kit as a pytest plugin for every test package (the root conftest is loaded after
``pythonpath`` puts ``shared/testkit`` on the path): the broker, PostgreSQL and API-client fixtures, and the 3-node cluster of the fault tests."""

pytest_plugins = ["kmb_testkit.fixtures", "kmb_testkit.cluster", "kmb_testkit.sasl"]
