import type { enRecovery } from './en-recovery.js';

/** Finnish messages of the pages the account emails link to. */
export const fiRecovery: Record<keyof typeof enRecovery, string> = {
  'recovery.continue': 'Jatka',

  'verify.title': 'Vahvista sähköpostiosoitteesi',
  'verify.checking': 'Vahvistetaan osoitettasi…',
  'verify.done.title': 'Osoitteesi on vahvistettu',
  'verify.done': 'Kiitos, sähköpostiosoitteesi on vahvistettu. Voit nyt kirjautua salasanallasi.',
  'verify.invalid.title': 'Tämä linkki ei enää toimi',
  'verify.invalid': 'Vahvistuslinkki on vanhentunut tai jo käytetty. Linkki toimii 48 tuntia ja vain kerran.',
  'verify.alreadyConfirmed': 'Vahvistitko osoitteesi jo? <link>Kirjaudu sisään</link>',
  'verify.newLink': 'Lähetä uusi linkki',
  'verify.newLink.help': 'Osoite, jolla rekisteröidyit.',
  'verify.newLink.sent': 'Uusi linkki on matkalla sähköpostiisi.',
  'verify.newLink.sentTo':
    'Jos osoitteella {email} on vahvistusta odottava tili, uusi linkki on matkalla siihen. Katso myös roskapostikansio.',
  'verify.newLink.alreadyVerified': 'Sähköpostiosoitteesi on jo vahvistettu.',

  'reset.request.title': 'Unohditko salasanasi?',
  'reset.request.intro': 'Kirjoita tilisi sähköpostiosoite, niin lähetämme linkin uuden salasanan asettamiseen.',
  'reset.request.submit': 'Lähetä linkki',
  'reset.request.sent':
    'Jos osoitteella {email} on tili, linkki uuden salasanan asettamiseen on matkalla siihen. Linkki toimii 60 minuuttia.',
  'reset.backToLogin': 'Muistitko sen? <link>Kirjaudu sisään</link>',
  'reset.title': 'Aseta uusi salasana',
  'reset.password': 'Uusi salasana',
  'reset.submit': 'Tallenna uusi salasana',
  'reset.done.title': 'Salasanasi on vaihdettu',
  'reset.done':
    'Uusi salasanasi on tallennettu, ja sinut kirjattiin ulos kaikkialta. Kirjaudu sisään uudella salasanalla.',
  'reset.invalid.title': 'Tämä linkki ei enää toimi',
  'reset.invalid': 'Linkki uuden salasanan asettamiseen on vanhentunut tai jo käytetty. Linkki toimii 60 minuuttia.',
  'reset.invalid.again': 'Pyydä uusi linkki',
};
