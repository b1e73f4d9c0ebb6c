import type { enMore } from './en-more.js';

/** Finnish messages of the integrations page. */
export const fiMore: Record<keyof typeof enMore, string> = {
  'nav.integrations': 'Integraatiot',
  'integrations.title': 'Integraatiot',
  'integrations.intro':
    'Verkkokauppasi kertoo Kumppanille tilauksista ja hyvityksistä webhookilla. Anna kaupalle alla oleva osoite ja sama allekirjoitusavain molemmille puolille.',
  'integrations.connected': 'Yhdistetty · avain {hint}',
  'integrations.notConnected': 'Ei yhdistetty',
  'integrations.help.shopify':
    'Shopifyssa: Asetukset → Ilmoitukset → Webhookit, ”Tilauksen maksu” ja ”Hyvityksen luonti”, JSON-muodossa. Avain on se, jonka Shopify näyttää webhookien alla.',
  'integrations.help.woocommerce':
    'WooCommercessa: Asetukset → Lisäasetukset → Webhookit, aiheet ”Tilaus päivitetty” ja ”Tilaus hyvitetty”, valitsemallasi avaimella.',
  'integrations.help.stripe':
    'Stripessä: Developers → Webhooks, tapahtumat checkout.session.completed ja charge.refunded. Avain alkaa whsec_.',
  'integrations.url': 'webhook-osoite',
  'integrations.secret': 'Allekirjoitusavain',
  'integrations.secretHelp': 'Tallennetaan salattuna eikä näytetä enää; vain sen neljä viimeistä merkkiä näkyvät.',
  'integrations.sendTest': 'Lähetä testitapahtuma',
  'integrations.remove': 'Katkaise yhteys',
  'integrations.log': 'Viimeisimmät toimitukset',
  'integrations.noDeliveries': 'Ei vielä toimituksia.',
  'integrations.verified': 'varmennettu',
  'integrations.refused': 'hylätty',
  'integrations.test': 'testi',
  'creators.rate': 'Provisio',
  'creators.last30': 'Viimeiset 30 päivää',
  'creators.results':
    '{clicks, plural, one {# klikkaus} other {# klikkausta}} · {sales, plural, one {# myynti} other {# myyntiä}} · {commissions}',
  'creators.defaultRate': 'ohjelman säännöt',
  'creators.changeRate': 'muuta sisällöntuottajan {name} provisiota',
  'creators.ownRate': 'Oma provisioprosentti (%)',
  'creators.ownRateHelp':
    'Jätä tyhjäksi, niin ohjelman säännöt pätevät. Pienennys koskee sisällöntuottajaa vasta ilmoitusajan jälkeen.',
  'creators.rateInvalid': 'Anna prosentti, kuten 12,5',
  'tiers.title': 'Tulosportaat',
  'tiers.help':
    'Korkeampi provisio sisällöntuottajalle, kun hänen nettomyyntinsä ohjelmassa ylittää rajan kalenterikuukaudessa. Korkein saavutettu porras koskee kuukauden myöhempiä myyntejä.',
  'tiers.threshold': 'Porras {n}: kuukausimyynti alkaen',
  'tiers.rate': 'Porras {n}: provisioprosentti (%)',
  'tiers.add': 'Lisää porras',
  'products.title': 'Tuotekohtaiset provisiot',
  'products.help':
    'Tuote, jolla on oma provisio, ansaitsee sen ohjelman oletuksen sijaan; sisällöntuottajan oma provisio menee silti edelle.',
  'products.externalId': 'Tuotteen tunnus kaupassa',
  'products.externalIdHelp': 'Tunnus, jonka kauppasi lähettää kunkin myyntirivin mukana (SKU tai tuotetunnus).',
  'products.name': 'Tuotteen nimi',
  'products.rate': 'Provisioprosentti (%)',
  'products.rateType': 'Provisio',
  'products.rateType.percent': 'Prosentti rivin summasta',
  'products.rateType.flat': 'Kiinteä summa kappaleelta ({currency})',
  'products.rateAmount': 'Summa myytyä kappaletta kohden ({currency})',
  'products.perUnit': '{amount} kappaleelta',
  'products.editRate': 'Muuta provisiota',
  'products.editRateOf': 'Muuta provisiota: {name}',
  'products.rateOf': 'Tuotteen {name} provisioprosentti (%)',
  'products.rateHelp': 'Jätä tyhjäksi, niin käytetään ohjelman oletusprosenttia.',
  'products.add': 'Lisää tuote',
  'fraud.title': 'Väärinkäytösten tarkistus',
  'fraud.threshold': 'Klikkausroskapostin raja',
  'fraud.thresholdHelp':
    'Jos yksi kävijä klikkaa voittanutta linkkiä päivässä tätä useammin, provisio pidätetään tarkastettavaksi.',
  'fraud.sites': 'Alennuskoodisivustot',
  'fraud.sitesHelp':
    'Näiltä sivustoilta (yksi riviä kohden) tulevat myynnit pidätetään tarkastettaviksi, jo tunnettujen {count} sivuston lisäksi.',
  'payoutSettings.title': 'Maksutavat ja aikataulu',
  'payoutSettings.methods': 'Maksutavat, joista sisällöntuottaja voi valita',
  'payoutSettings.schedule': 'Aikataulu',
  'payoutSettings.scheduleHelp':
    'Viikoittainen tai kuukausittainen ajo maksaa automaattisesti; muuten käynnistät tilitykset itse.',
  'payoutSettings.day': 'Päivä',
  'payoutSettings.dayHelp': 'Viikoittain: 1 on maanantai, 7 sunnuntai. Kuukausittain: kuukauden päivä 1–28.',
  'payoutSettings.requireInvoicing':
    'Maksa vain sisällöntuottajille, jotka ovat antaneet virallisen nimen ja osoitteen (itselaskutusta varten)',
  'payoutSettings.requireTaxForm':
    'Maksa yhdysvaltalaisille vasta, kun heidän verolomakkeensa (W-9 tai W-8BEN) on saatu',
  'nav.operator': 'Ylläpito',
  'operator.title': 'Ylläpito',
  'operator.rates': 'Valuuttakurssit',
  'operator.ratesHelp':
    'Muussa kuin ohjelman valuutassa tehdyt myynnit muunnetaan näillä kursseilla; ilman kurssia myynti hylätään.',
  'operator.from': 'Valuutasta',
  'operator.to': 'Valuuttaan',
  'operator.rate': 'Kurssi',
  'operator.report': 'Verkoston raportti',
  'operator.reportFrom': 'Alkaen',
  'operator.reportTo': 'Päättyen',
  'operator.workspace': 'Brändi',
  'operator.saleFees': 'Myyntimaksut',
  'operator.otherFees': 'Aloitus- ja kuukausimaksut',
  'operator.total': 'Yhteensä',
  'operator.fees': 'Verkoston palvelumaksut brändeittäin',
  'operator.feesHelp':
    'Mitä kukin brändi maksaa verkostolle: aloitusmaksu kerran, osuus jokaisesta ohjatusta myynnistä ja kuukausimaksu.',
  'operator.plan': 'Aloitus {setup} · {sale} jokaisesta myynnistä · kuukausittain {monthly}',
  'operator.noPlan': 'Ei maksuja asetettu.',
  'operator.setupFee': 'Aloitusmaksu',
  'operator.saleFee': 'Osuus myynnistä (%)',
  'operator.monthlyFee': 'Kuukausimaksu',
  'my.programs.open': 'Ohjelmat, joihin voit hakea',
  'my.programs.openHelp':
    'Brändit ovat avanneet nämä ohjelmat kaikille sisällöntuottajille. Brändi käsittelee hakemuksesi.',
  'my.programs.apply': 'Hae mukaan',
};
