"""The hostile-input tests of tests/security/test_hostile_input.py on real PostgreSQL, where a
NUL byte in text and a numeric overflow used to be server errors."""

from tests.security.test_hostile_input import (  # noqa: F401 (collected here as well)
    test_bytes_that_are_not_utf8_are_no_server_error,
    test_every_known_hostile_value_in_every_answer_is_no_server_error,
    test_every_known_hostile_value_in_every_field_is_no_server_error,
    test_no_answer_to_the_attempt_form_is_a_server_error,
    test_no_field_or_parameter_value_is_a_server_error,
    test_no_id_in_a_path_is_a_server_error,
    test_no_verification_code_is_a_server_error,
    world,
)
