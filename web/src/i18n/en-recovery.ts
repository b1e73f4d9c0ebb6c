/** English messages of the pages the account emails link to: confirming the address, a new password. */
export const enRecovery = {
  'recovery.continue': 'Continue',

  'verify.title': 'Confirm your email address',
  'verify.checking': 'Confirming your address…',
  'verify.done.title': 'Your address is confirmed',
  'verify.done': 'Thank you: your email address is confirmed. You can now log in with your password.',
  'verify.invalid.title': 'This link no longer works',
  'verify.invalid':
    'The confirmation link has expired or has already been used. Links work for 48 hours and only once.',
  'verify.alreadyConfirmed': 'Already confirmed your address? <link>Log in</link>',
  'verify.newLink': 'Send a new link',
  'verify.newLink.help': 'The address you signed up with.',
  'verify.newLink.sent': 'A new link is on its way to your email address.',
  'verify.newLink.sentTo':
    'If {email} has an account waiting for confirmation, a new link is on its way to it. Check your inbox and spam folder.',
  'verify.newLink.alreadyVerified': 'Your email address is already confirmed.',

  'reset.request.title': 'Forgot your password?',
  'reset.request.intro': 'Type the email address of your account and we will send you a link to set a new password.',
  'reset.request.submit': 'Send the link',
  'reset.request.sent':
    'If {email} has an account, a link to set a new password is on its way to it. The link works for 60 minutes.',
  'reset.backToLogin': 'Remembered it? <link>Log in</link>',
  'reset.title': 'Set a new password',
  'reset.password': 'New password',
  'reset.submit': 'Save the new password',
  'reset.done.title': 'Your password is changed',
  'reset.done': 'Your new password is saved, and you were logged out everywhere. Log in with the new password.',
  'reset.invalid.title': 'This link no longer works',
  'reset.invalid': 'The link to set a new password has expired or has already been used. Links work for 60 minutes.',
  'reset.invalid.again': 'Ask for a new link',
};
