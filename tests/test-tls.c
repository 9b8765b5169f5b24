/* Passwords: a password variable taken out of the environment once
 * read. */

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"
#include "tap.h"

int
main(void)
{
	char	*v, *cause = NULL;

	/* The password leaves the environment and stays readable. */
	setenv("TEST_TLS_PW", "pa ss", 1);
	secret_take("TEST_TLS_PW");
	OK(getenv("TEST_TLS_PW") == NULL, "the variable leaves the environment");
	v = secret_read(NULL, "TEST_TLS_PW", &cause);
	STR_EQ(v, "pa ss", "the password is still read");
	free(v);
	v = secret_read(NULL, "TEST_TLS_PW", &cause);
	STR_EQ(v, "pa ss", "and read again (a reconnection)");
	free(v);
	v = secret_read(NULL, "TEST_TLS_NONE", &cause);
	OK(v == NULL, "a variable never set: no password");
	HAS(cause, "TEST_TLS_NONE", "and the error names it");
	free(cause);
	secrets_clear();
	return (tap_done());
}
