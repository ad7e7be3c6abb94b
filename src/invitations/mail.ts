// Invitation e-mails, through the SMTP server of SMTP_URL (nodemailer). Sent after the answer,
// as Qomon does: the inviter sees `last_sent` set once the server took the message.
import nodemailer, { type Transporter } from 'nodemailer'

export interface Letter {
  to: string
  space: string
  url: string
  expiresAt: string
}

export class Mailer {
  readonly #transport: Transporter
  readonly #pending = new Set<Promise<unknown>>()

  readonly from: string

  constructor(smtpUrl: string, from: string) {
    this.from = from
    this.#transport = nodemailer.createTransport(smtpUrl)
  }

  /** Sends in the background; `then` runs once the SMTP server accepted the message. */
  send(letter: Letter, then: () => Promise<unknown>, onError: (error: Error) => void): void {
    const sending = this.#transport
      .sendMail({
        from: this.from,
        to: letter.to,
        subject: `Invitation to ${letter.space} on Carnet`,
        text:
          `You are invited to join ${letter.space} on Carnet.\n\n` +
          `To accept, send your password (and your names if you are new) to:\n${letter.url}\n` +
          `(POST {"data":{"password":"…","firstname":"…","surname":"…"}}).\n\n` +
          `This invitation expires at ${letter.expiresAt}.\n`,
      })
      .then(then)
      .catch(onError)
      .finally(() => this.#pending.delete(sending))
    this.#pending.add(sending)
  }

  /** Waits for the messages still being sent (the app's close). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#pending])
    this.#transport.close()
  }
}
