/*
 * TLS for IMAP and SMTP.  libetpan checks nothing of the server's
 * certificate by itself; here the chain it received is verified with
 * GnuTLS against the configured CA file, or the system store, and the
 * host name, before any password is sent.  SNI is set on every handshake.
 * The name checked and sent is the host's, or the one tls_name gives when
 * the host is an address or another name of the server.
 * Without TLS a password goes only to a server on this machine, as the
 * connected socket's peer address tells (not the host name).  Passwords
 * named by an environment variable are taken out of the environment once
 * read, so that no child (sendmail, $EDITOR) inherits them, and kept in
 * memory for the reconnections.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>

#include "floss-responder.h"

void
tls_sni(struct mailstream_ssl_context *ctx, void *data)
{
	mailstream_ssl_set_server_name(ctx, data);
}

char *
tls_name(const struct endpoint *e)
{
	return (e->tls_name != NULL && *e->tls_name != '\0' ? e->tls_name :
	    e->host);
}

int
tls_verify(void *stream, const char *host, const char *cafile,
    char **cause)
{
	mailstream			*s = stream;
	carray				*chain;
	gnutls_x509_crt_t		*crts;
	gnutls_x509_trust_list_t	 tl;
	gnutls_datum_t			 der, out;
	gnutls_typed_vdata_st		 vd;
	MMAPString			*c;
	unsigned int			 n, i, ok = 0, status = 0;
	int				 r;

	if ((chain = mailstream_get_certificate_chain(s)) == NULL ||
	    carray_count(chain) == 0) {
		if (chain != NULL)
			mailstream_certificate_chain_free(chain);
		*cause = xasprintf("%s: the server sent no certificate", host);
		return (-1);
	}
	n = carray_count(chain);
	crts = xcalloc(n, sizeof *crts);
	for (i = 0; i < n; i++) {
		c = carray_get(chain, i);
		der.data = (unsigned char *)c->str;
		der.size = (unsigned int)c->len;
		if (gnutls_x509_crt_init(&crts[i]) < 0 ||
		    gnutls_x509_crt_import(crts[i], &der,
		    GNUTLS_X509_FMT_DER) < 0) {
			*cause = xasprintf("%s: a certificate of the chain does"
			    " not parse", host);
			goto out;
		}
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
		*cause = xstrdup("gnutls_x509_trust_list_init failed");
		goto out;
	}
	if (cafile != NULL && *cafile != '\0')
		r = gnutls_x509_trust_list_add_trust_file(tl, cafile, NULL,
		    GNUTLS_X509_FMT_PEM, 0, 0);
	else
		r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (r <= 0) {
		*cause = xasprintf("no CA certificate could be read from %s",
		    cafile != NULL && *cafile != '\0' ? cafile :
		    "the system store");
		gnutls_x509_trust_list_deinit(tl, 1);
		goto out;
	}
	memset(&vd, 0, sizeof vd);
	vd.type = GNUTLS_DT_DNS_HOSTNAME;
	vd.data = (unsigned char *)host;
	r = gnutls_x509_trust_list_verify_crt2(tl, crts, n, &vd, 1, 0, &status,
	    NULL);
	gnutls_x509_trust_list_deinit(tl, 1);
	if (r == 0 && status == 0)
		ok = 1;
	else if (r < 0)
		*cause = xasprintf("%s: certificate verification failed: %s",
		    host, gnutls_strerror(r));
	else if (gnutls_certificate_verification_status_print(status,
	    GNUTLS_CRT_X509, &out, 0) == 0) {
		*cause = xasprintf("%s: %s", host, out.data);
		gnutls_free(out.data);
	} else
		*cause = xasprintf("%s: the certificate is not trusted (status"
		    " %#x)", host, status);

out:
	for (i = 0; i < n; i++)
		if (crts[i] != NULL)
			gnutls_x509_crt_deinit(crts[i]);
	free(crts);
	mailstream_certificate_chain_free(chain);
	return (ok ? 0 : -1);
}

int
addr_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const uint8_t			*a;
	static const uint8_t		 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0xff, 0xff };

	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		return ((ntohl(sin->sin_addr.s_addr) >> 24) == 127);
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		a = sin6->sin6_addr.s6_addr;
		if (memcmp(a, &in6addr_loopback, 16) == 0)
			return (1);
		/* ::ffff:127.x.y.z, an IPv4 loopback address. */
		return (memcmp(a, mapped, 12) == 0 && a[12] == 127);
	}
	return (0);
}

int
peer_loopback(void *stream)
{
	mailstream		*s = stream;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	int			 fd;

	if (s == NULL || s->low == NULL ||
	    (fd = mailstream_low_get_fd(s->low)) < 0)
		return (0);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
		return (0);
	return (addr_loopback((struct sockaddr *)&ss));
}

/* A TCP connection to host:port within timeout seconds, or -1. */
static int
tcp_connect(const char *host, int port, int timeout)
{
	struct addrinfo	 hints, *res, *ai;
	struct timeval	 tv;
	char		 serv[16];
	int		 fd = -1;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	snprintf(serv, sizeof serv, "%d", port);
	if (getaddrinfo(host, serv, &hints, &res) != 0)
		return (-1);
	tv.tv_sec = timeout;
	tv.tv_usec = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return (fd);
}

/* 1 when the server at host:port greets in clear text within timeout
 * seconds ("* OK", "220"), as a TLS server never does. */
static int
port_greets_plain(const char *host, int port, int timeout)
{
	struct pollfd	pfd;
	char		c;
	int		fd, plain = 0;

	if ((fd = tcp_connect(host, port, timeout)) == -1)
		return (0);
	/* A TLS server waits for the client; a plain one greets first. */
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, timeout * 1000) == 1 && read(fd, &c, 1) == 1 &&
	    c >= 0x20 && c < 0x7f)
		plain = 1;
	close(fd);
	return (plain);
}

/* 1 when a TLS handshake with host:port completes within timeout seconds
 * (nothing verified, nothing sent). */
static int
port_speaks_tls(const char *host, int port, int timeout)
{
	gnutls_certificate_credentials_t	 cred;
	gnutls_session_t			 s;
	int					 fd, r;

	if ((fd = tcp_connect(host, port, timeout)) == -1)
		return (0);
	if (gnutls_certificate_allocate_credentials(&cred) < 0) {
		close(fd);
		return (0);
	}
	if (gnutls_init(&s, GNUTLS_CLIENT) < 0) {
		gnutls_certificate_free_credentials(cred);
		close(fd);
		return (0);
	}
	/* Only whether a handshake completes: nothing is trusted or sent. */
	gnutls_set_default_priority(s);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
	gnutls_transport_set_int(s, fd);
	gnutls_handshake_set_timeout(s, (unsigned int)timeout * 1000);
	do
		r = gnutls_handshake(s);
	while (r < 0 && !gnutls_error_is_fatal(r));
	if (r == 0)
		gnutls_bye(s, GNUTLS_SHUT_WR);
	gnutls_deinit(s);
	gnutls_certificate_free_credentials(cred);
	close(fd);
	return (r == 0);
}

char *
tls_mode_mistake(const struct endpoint *e, int port, int handshake,
    int stream, const char *key)
{
	int	imap = strcmp(key, "imap") == 0;

	if (handshake && port_greets_plain(e->host, port, e->timeout))
		return (xasprintf("%s:%d: the TLS handshake failed: the port"
		    " speaks %s in clear (%s.tls: starttls for a port such as"
		    " %d, tls for %d)", e->host, port, imap ? "IMAP" : "SMTP",
		    key, imap ? 143 : 587, imap ? 993 : 465));
	if (stream && e->tls != TLS_IMPLICIT &&
	    port_speaks_tls(e->host, port, e->timeout))
		return (xasprintf("%s:%d: no greeting in clear: the port speaks"
		    " implicit TLS (%s.tls: tls for a port such as %d)",
		    e->host, port, key, imap ? 993 : 465));
	return (NULL);
}

/* The passwords read from the environment, by variable. */
static struct secret {
	char	*env;
	char	*value;
} *secrets;
static size_t nsecrets;

void
secret_take(const char *env)
{
	const char	*v;
	size_t		 i;

	if (env == NULL || *env == '\0')
		return;
	for (i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i].env, env) == 0)
			break;
	if ((v = getenv(env)) == NULL)
		return;
	if (i == nsecrets) {
		secrets = xreallocarray(secrets, nsecrets + 1, sizeof *secrets);
		secrets[nsecrets].env = xstrdup(env);
		secrets[nsecrets++].value = NULL;
	} else {
		explicit_bzero(secrets[i].value, strlen(secrets[i].value));
		free(secrets[i].value);
	}
	secrets[i].value = xstrdup(v);
	explicit_bzero(getenv(env), strlen(v));
	unsetenv(env);
}

void
secrets_clear(void)
{
	size_t	i;

	for (i = 0; i < nsecrets; i++) {
		explicit_bzero(secrets[i].value, strlen(secrets[i].value));
		free(secrets[i].value);
		free(secrets[i].env);
	}
	free(secrets);
	secrets = NULL;
	nsecrets = 0;
}

char *
secret_read(const char *file, const char *env, char **cause)
{
	char		*data, *nl;
	size_t		 len, i;

	if (env != NULL && *env != '\0') {
		secret_take(env);
		for (i = 0; i < nsecrets; i++)
			if (strcmp(secrets[i].env, env) == 0)
				return (xstrdup(secrets[i].value));
		*cause = xasprintf("the environment variable %s, named for the"
		    " password, is not set", env);
		return (NULL);
	}
	if (file == NULL || *file == '\0')
		return (xstrdup(""));
	if ((data = read_message(file, &len, cause)) == NULL)
		return (NULL);
	if ((nl = strpbrk(data, "\r\n")) != NULL)
		*nl = '\0';
	return (data);
}
