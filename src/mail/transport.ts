import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Our id of the message, so that a bounce or a reply can be traced back to it. */
  messageRef: string;
}

/** Where email goes: an SMTP server in production; anything that takes a message in tests. */
export interface MailTransport {
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * SMTP through nodemailer, from a URL: `smtp://user:pass@host:587` (STARTTLS when the server
 * offers it) or `smtps://user:pass@host:465` (TLS from the start).
 */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(message) {
      const info = await transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { 'X-Kumppani-Message': message.messageRef },
      });
      return { messageId: String(info.messageId ?? '') };
    },
    close() {
      transporter.close();
    },
  };
}
