/*
 * TLS for IMAP and SMTP.  libetpan checks nothing of the server's
 * certificate by itself; here the chain it received is verified with
 * GnuTLS against the configured CA file, or the system store, and the
 * host name, before any password is sent.  SNI is set on every handshake.
 * Passwords
 * named by an environment variable are taken out of the environment once
 * read, so that no child (sendmail, $EDITOR) inherits them, and kept in
 * memory for the reconnections.
 */

#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>

#include "floss-responder.h"

void
tls_sni(struct mailstream_ssl_context *ctx, void *data)
{
	mailstream_ssl_set_server_name(ctx, data);
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
