/* Passwords and the network: which peer addresses count as this machine
 * (decided by the address, never by a name), and a password variable
 * taken out of the environment once read. */

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*addr;
	int		 loopback;
} addrs[] = {
	{ "127.0.0.1", 1 },
	{ "127.1.2.3", 1 },
	{ "127.255.255.254", 1 },
	{ "::1", 1 },
	{ "::ffff:127.0.0.1", 1 },
	{ "192.0.2.1", 0 },
	{ "10.0.0.1", 0 },
	{ "128.0.0.1", 0 },
	{ "0.0.0.0", 0 },
	{ "::ffff:10.0.0.1", 0 },
	{ "::ffff:192.0.2.1", 0 },
	{ "::", 0 },
	{ "::2", 0 },
	{ "2001:db8::1", 0 },
	{ "::127.0.0.1", 0 },		/* IPv4-compatible: not loopback */
	{ "fe80::1", 0 },
};

static int
loopback(const char *s)
{
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;

	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	if (inet_pton(AF_INET, s, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		return (addr_loopback((struct sockaddr *)&sin));
	}
	if (inet_pton(AF_INET6, s, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		return (addr_loopback((struct sockaddr *)&sin6));
	}
	return (-1);
}

int
main(void)
{
	struct sockaddr	 un;
	size_t		 i;
	char		*v, *cause = NULL;

	for (i = 0; i < sizeof addrs / sizeof addrs[0]; i++)
		INT_EQ(loopback(addrs[i].addr), addrs[i].loopback,
		    "%s %s loopback", addrs[i].addr, addrs[i].loopback ?
		    "is" : "is not");
	memset(&un, 0, sizeof un);
	un.sa_family = AF_UNIX;
	OK(!addr_loopback(&un), "a Unix socket is not taken for loopback");
	OK(!peer_loopback(NULL), "no stream: not loopback");

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
