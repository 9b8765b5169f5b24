/*
 * Delivery over SMTP with libetpan: one connection a batch, implicit TLS
 * or STARTTLS with the certificate and host name verified before AUTH,
 * AUTH PLAIN or LOGIN, the envelope sender of the configuration (the null
 * sender <> by default).  What the server answers decides the outcome:
 * 2xx after the data, accepted; a 4xx anywhere, or a connection lost
 * before the data was sent, try again later; a 5xx for the recipient or
 * the message, never (a person takes it); a connection lost while the
 * data was on its way, unknown.
 */

#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"

struct smtp {
	mailsmtp	*s;
	char		*desc;
	int		 broken;	/* the connection is no longer usable */
};

static int
smtp_port(const struct endpoint *e)
{
	if (e->port != 0)
		return (e->port);
	switch (e->tls) {
	case TLS_IMPLICIT:
		return (465);
	case TLS_STARTTLS:
		return (587);
	}
	return (25);
}

/* Why a command failed, for a person: the server's own answer when it
 * gave one, what libetpan's code r means otherwise. */
static const char *
smtp_said(struct smtp *sm, int r)
{
	switch (r) {
	case MAILSMTP_ERROR_STREAM:
		return ("the connection was closed");
	case MAILSMTP_ERROR_CONNECTION_REFUSED:
		return ("cannot connect");
	case MAILSMTP_ERROR_SSL:
		return ("the TLS handshake failed");
	case MAILSMTP_ERROR_HOSTNAME:
		return ("the host name does not resolve");
	case MAILSMTP_ERROR_MEMORY:
		return ("out of memory");
	}
	if (sm->s != NULL && sm->s->response_code >= 400 &&
	    sm->s->response != NULL && *sm->s->response != '\0')
		return (sm->s->response);
	return ("the server refused the command");
}

static int
smtp_connect(struct delivery *dv, struct smtp *sm, char **cause)
{
	const struct endpoint	*e = &dv->conf->smtp;
	char			*pass = NULL, *why = NULL;
	int			 r, port = smtp_port(e), type;

	dv->fail = FAIL_TEMP;
	sm->s = mailsmtp_new(0, NULL);
	mailsmtp_set_timeout(sm->s, (time_t)e->timeout);
	/* libetpan reads SMTP answers with the global delay. */
	mailstream_network_delay.tv_sec = e->timeout;
	mailstream_network_delay.tv_usec = 0;
	if (e->tls == TLS_IMPLICIT)
		r = mailsmtp_ssl_connect_with_callback(sm->s, e->host,
		    (uint16_t)port, tls_sni, tls_name(e));
	else
		r = mailsmtp_socket_connect(sm->s, e->host, (uint16_t)port);
	if ((*cause = tls_mode_mistake(e, port, r == MAILSMTP_ERROR_SSL,
	    r == MAILSMTP_ERROR_STREAM, "smtp")) != NULL) {
		dv->fail = FAIL_CONFIG;
		return (-1);
	}
	if (r != MAILSMTP_NO_ERROR) {
		*cause = xasprintf("%s:%d: %s", e->host, port,
		    r == MAILSMTP_ERROR_STREAM ? "cannot connect: the"
		    " connection was closed" : smtp_said(sm, r));
		return (-1);
	}
	if (e->tls == TLS_IMPLICIT && tls_verify(sm->s->stream, tls_name(e),
	    e->ca_file, cause) != 0) {
		dv->fail = FAIL_CONFIG;
		return (-1);
	}
	if ((r = mailesmtp_ehlo(sm->s)) != MAILSMTP_NO_ERROR) {
		*cause = xasprintf("%s: EHLO: %s", e->host, smtp_said(sm, r));
		return (-1);
	}
	if (e->tls == TLS_STARTTLS) {
		if (!(sm->s->esmtp & MAILSMTP_ESMTP_STARTTLS)) {
			dv->fail = FAIL_CONFIG;
			*cause = xasprintf("%s: the server offers no STARTTLS"
			    " (set smtp.tls to none to go without TLS)",
			    e->host);
			return (-1);
		}
		if ((r = mailsmtp_socket_starttls_with_callback(sm->s, tls_sni,
		    tls_name(e))) != MAILSMTP_NO_ERROR) {
			*cause = xasprintf("%s: STARTTLS: %s", e->host,
			    smtp_said(sm, r));
			return (-1);
		}
		if (tls_verify(sm->s->stream, tls_name(e), e->ca_file,
		    cause) != 0) {
			dv->fail = FAIL_CONFIG;
			return (-1);
		}
		/* The capabilities change with TLS. */
		if ((r = mailesmtp_ehlo(sm->s)) != MAILSMTP_NO_ERROR) {
			*cause = xasprintf("%s: EHLO: %s", e->host,
			    smtp_said(sm, r));
			return (-1);
		}
	}
	if (*e->user == '\0')
		return (0);
	/* No password in clear but to this machine, as the socket says. */
	if (e->tls == TLS_NONE && !peer_loopback(sm->s->stream)) {
		dv->fail = FAIL_CONFIG;
		*cause = xasprintf("%s: smtp.tls is none and the server is not"
		    " on a loopback address: no password is sent in clear over"
		    " a network", e->host);
		return (-1);
	}
	if ((pass = secret_read(e->password_file, e->password_env, &why)) ==
	    NULL) {
		dv->fail = FAIL_CONFIG;
		*cause = why;
		return (-1);
	}
	type = sm->s->auth & MAILSMTP_AUTH_PLAIN ? MAILSMTP_AUTH_PLAIN :
	    MAILSMTP_AUTH_LOGIN;
	r = mailsmtp_auth_type(sm->s, e->user, pass, type);
	explicit_bzero(pass, strlen(pass));
	free(pass);
	if (r != MAILSMTP_NO_ERROR) {
		/* A 4xx (454) is the server's trouble; a 5xx the password's. */
		if (r != MAILSMTP_ERROR_STREAM &&
		    r != MAILSMTP_ERROR_AUTH_TEMPORARY_FAILTURE &&
		    sm->s->response_code >= 500) {
			dv->fail = FAIL_AUTH;
			*cause = xasprintf("the SMTP server %s refused the login"
			    " for %s (%s): check smtp.user and the password",
			    e->host, e->user, smtp_said(sm, r));
		} else
			*cause = xasprintf("%s: AUTH as %s: %s", e->host,
			    e->user, smtp_said(sm, r));
		return (-1);
	}
	return (0);
}

static void
smtp_close(struct smtp *sm)
{
	if (sm->s == NULL)
		return;
	if (!sm->broken && sm->s->stream != NULL)
		mailsmtp_quit(sm->s);
	mailsmtp_free(sm->s);
	sm->s = NULL;
}

static int
smtp_begin(struct delivery *dv, char **cause)
{
	struct smtp	*sm;

	sm = xcalloc(1, sizeof *sm);
	dv->data = sm;
	sm->desc = xasprintf("smtp %s:%d", dv->conf->smtp.host,
	    smtp_port(&dv->conf->smtp));
	if (smtp_connect(dv, sm, cause) != 0) {
		sm->broken = 1;
		smtp_close(sm);
		return (-1);
	}
	log_info("%s: connected", sm->desc);
	return (0);
}

/* The outcome of a refused command: 4xx later, 5xx never. */
static enum dstatus
refused(struct smtp *sm, const char *what, int r, enum dstatus five,
    char **cause)
{
	int	code = sm->s->response_code;

	if (r == MAILSMTP_ERROR_STREAM || code == 0) {
		sm->broken = 1;
		*cause = xasprintf("%s: connection lost", what);
		return (DLV_TEMP);
	}
	*cause = xasprintf("%s: %s", what, smtp_said(sm, r));
	mailsmtp_reset(sm->s);
	return (code >= 500 ? five : DLV_TEMP);
}

static enum dstatus
smtp_send(struct delivery *dv, const char *from, const char *rcpt,
    const char *data, size_t len, char **cause)
{
	struct smtp	*sm = dv->data;
	int		 r;

	if (sm->broken || sm->s == NULL) {
		*cause = xasprintf("%s: no connection", sm->desc);
		return (DLV_TEMP);
	}
	/* libetpan cannot send the SMTPUTF8 parameter (RFC 6531). */
	if (str_8bit(from) || str_8bit(rcpt)) {
		*cause = xasprintf("%s is not ASCII: it needs SMTPUTF8, which"
		    " floss-responder does not send", str_8bit(rcpt) ? rcpt :
		    from);
		return (DLV_PERM);
	}
	if ((r = mailesmtp_mail(sm->s, from, 0, NULL)) != MAILSMTP_NO_ERROR)
		return (refused(sm, "MAIL FROM", r, DLV_TEMP, cause));
	if ((r = mailesmtp_rcpt(sm->s, rcpt, 0, NULL)) != MAILSMTP_NO_ERROR)
		return (refused(sm, "RCPT TO", r, DLV_PERM, cause));
	if ((r = mailsmtp_data(sm->s)) != MAILSMTP_NO_ERROR)
		return (refused(sm, "DATA", r, DLV_TEMP, cause));
	/* libetpan adds the CRLF before the final dot itself. */
	if (len >= 2 && data[len - 2] == '\r' && data[len - 1] == '\n')
		len -= 2;
	if ((r = mailsmtp_data_message(sm->s, data, len)) != MAILSMTP_NO_ERROR) {
		if (r == MAILSMTP_ERROR_STREAM || sm->s->response_code == 0) {
			/* It may or may not have been taken. */
			sm->broken = 1;
			*cause = xasprintf("connection lost after the data");
			return (DLV_UNKNOWN);
		}
		return (refused(sm, "end of data", r, DLV_PERM, cause));
	}
	return (DLV_OK);
}

static void
smtp_end(struct delivery *dv)
{
	struct smtp	*sm = dv->data;

	if (sm == NULL)
		return;
	smtp_close(sm);
	free(sm->desc);
	free(sm);
	dv->data = NULL;
}

static const char *
smtp_desc(struct delivery *dv)
{
	struct smtp	*sm = dv->data;

	return (sm != NULL ? sm->desc : "smtp");
}

const struct delivery_ops deliver_smtp = {
	"smtp", smtp_begin, smtp_send, smtp_end, smtp_desc
};
