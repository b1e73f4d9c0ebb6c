/**
 * The demo world as data: two brands, three programs, their products, and the names that
 * forty creators are made from. Prices are in minor units.
 */
export const DEMO_PASSWORD = 'kumppani-demo-2026';

export interface DemoProduct {
  externalId: string;
  name: string;
  path: string;
  price: number;
  rateBps?: number;
}

export interface DemoProgram {
  name: string;
  description: string;
  currency: string;
  allowedDomains: string[];
  defaultRateBps: number;
  holdingDays: number;
  attributionWindowDays: number;
  minPayoutAmount: number;
  visibility: 'open' | 'invite';
  products: DemoProduct[];
  /** Titles of the creators' videos and posts for this program; `{product}` is the product linked to. */
  videoTitles: string[];
}

export interface DemoBrand {
  workspaceName: string;
  country: string;
  owner: { name: string; email: string };
  manager: { name: string; email: string };
  viewer: { name: string; email: string };
  payoutAccount: { iban: string; bic: string; name: string };
  programs: DemoProgram[];
}

export const demoBrands: DemoBrand[] = [
  {
    workspaceName: 'Revontuli Active Oy',
    country: 'FI',
    owner: { name: 'Aino Virtanen', email: 'aino@revontuli.example' },
    manager: { name: 'Eero Mäkinen', email: 'eero@revontuli.example' },
    viewer: { name: 'Sanna Korhonen', email: 'sanna@revontuli.example' },
    payoutAccount: { iban: 'FI2112345600000785', bic: 'NDEAFIHH', name: 'Revontuli Active Oy' },
    programs: [
      {
        name: 'Revontuli Creators',
        description: 'Activewear made in Finland. 15 % on every order, 20 % on the Synergy line.',
        currency: 'EUR',
        allowedDomains: ['revontuli.example', 'shop.revontuli.example'],
        defaultRateBps: 1500,
        holdingDays: 30,
        attributionWindowDays: 30,
        minPayoutAmount: 5000,
        visibility: 'open',
        videoTitles: [
          'Morning run at -15 °C in the {product}',
          'Honest review: {product} after a month',
          'Leg day fit check ft. {product}',
          'GRWM for the gym with the {product}',
          '3 ways to style the {product}',
          'Aamulenkki pakkasessa: {product} testissä',
          'Squat-proof test: {product}',
          'What I actually wear for winter training',
        ],
        products: [
          {
            externalId: '8012345670001',
            name: 'Synergy leggings',
            path: '/products/synergy-leggings',
            price: 6900,
            rateBps: 2000,
          },
          {
            externalId: '8012345670002',
            name: 'Synergy sports bra',
            path: '/products/synergy-sports-bra',
            price: 4900,
            rateBps: 2000,
          },
          {
            externalId: '8012345670003',
            name: 'Tunturi merino hoodie',
            path: '/products/tunturi-merino-hoodie',
            price: 12900,
          },
          {
            externalId: '8012345670004',
            name: 'Aurora running tights',
            path: '/products/aurora-running-tights',
            price: 7900,
          },
          {
            externalId: '8012345670005',
            name: 'Kaamos thermal base layer',
            path: '/products/kaamos-base-layer',
            price: 5900,
          },
          { externalId: '8012345670006', name: 'Lumi yoga mat', path: '/products/lumi-yoga-mat', price: 8900 },
          { externalId: '8012345670007', name: 'Revontuli gym bag', path: '/products/gym-bag', price: 3900 },
        ],
      },
      {
        name: 'Revontuli Outdoor Ambassadors',
        description: 'Invite-only program for hiking and trail creators. 10 %, 45-day attribution.',
        currency: 'EUR',
        allowedDomains: ['revontuli.example', 'outdoor.revontuli.example'],
        defaultRateBps: 1000,
        holdingDays: 45,
        attributionWindowDays: 45,
        minPayoutAmount: 10000,
        visibility: 'invite',
        videoTitles: [
          'Three days on the Karhunkierros trail with the {product}',
          'Packing for a weekend in Lapland',
          'Rain test on a stormy fell: {product}',
          'Ruska hike gear list ft. {product}',
          'Is the {product} worth it? 100 km later',
          'Vaellus Pallakselle: {product} mukana',
        ],
        products: [
          {
            externalId: '8012345679001',
            name: 'Erämaa 3-layer shell jacket',
            path: '/outdoor/erama-shell-jacket',
            price: 34900,
          },
          { externalId: '8012345679002', name: 'Polku trail shoes', path: '/outdoor/polku-trail-shoes', price: 15900 },
          { externalId: '8012345679003', name: 'Nuotio down vest', path: '/outdoor/nuotio-down-vest', price: 17900 },
          {
            externalId: '8012345679004',
            name: 'Taival 28 L backpack',
            path: '/outdoor/taival-28-backpack',
            price: 11900,
          },
        ],
      },
    ],
  },
  {
    workspaceName: 'Mesa Glow Skincare',
    country: 'US',
    owner: { name: 'Rachel Morgan', email: 'rachel@mesaglow.example' },
    manager: { name: 'Marcus Reyes', email: 'marcus@mesaglow.example' },
    viewer: { name: 'Priya Shah', email: 'priya@mesaglow.example' },
    payoutAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', name: 'Mesa Glow Skincare Inc.' },
    programs: [
      {
        name: 'Mesa Glow Affiliates',
        description: 'Clean desert-botanical skincare. 20 % on every order, paid monthly.',
        currency: 'USD',
        allowedDomains: ['mesaglow.example', 'shop.mesaglow.example'],
        defaultRateBps: 2000,
        holdingDays: 30,
        attributionWindowDays: 30,
        minPayoutAmount: 2500,
        visibility: 'open',
        videoTitles: [
          'My 5-step night routine with the {product}',
          'Honest review: {product} after 30 days',
          'Glass skin in the desert? Testing the {product}',
          'GRWM: no-makeup makeup with the {product}',
          'Before and after: four weeks of {product}',
          'Skincare on a budget: is the {product} worth it?',
        ],
        products: [
          {
            externalId: '7311042001',
            name: 'Prickly Pear Glow Serum',
            path: '/products/prickly-pear-glow-serum',
            price: 3800,
          },
          {
            externalId: '7311042002',
            name: 'Desert Bloom Night Cream',
            path: '/products/desert-bloom-night-cream',
            price: 4600,
          },
          { externalId: '7311042003', name: 'Sage Clay Mask', path: '/products/sage-clay-mask', price: 2900 },
          { externalId: '7311042004', name: 'Agave Hydrating Cleanser', path: '/products/agave-cleanser', price: 2400 },
          {
            externalId: '7311042005',
            name: 'SPF 40 Mineral Day Shield',
            path: '/products/spf40-day-shield',
            price: 3400,
          },
          {
            externalId: '7311042006',
            name: 'Glow Routine Bundle',
            path: '/collections/glow-routine-bundle',
            price: 11200,
            rateBps: 1500,
          },
        ],
      },
    ],
  },
];

export const creatorFirstNames = {
  FI: [
    'Krista',
    'Aleksi',
    'Veera',
    'Jonna',
    'Mikko',
    'Iida',
    'Oona',
    'Lauri',
    'Emmi',
    'Niko',
    'Helmi',
    'Ville',
    'Saara',
    'Juho',
    'Pinja',
  ],
  US: [
    'Dana',
    'Tyler',
    'Brianna',
    'Jordan',
    'Kayla',
    'Marcus',
    'Alexis',
    'Devon',
    'Madison',
    'Caleb',
    'Sofia',
    'Andre',
    'Hailey',
    'Noah',
    'Jasmine',
  ],
  SE: ['Elin', 'Oskar', 'Maja'],
  DE: ['Lena', 'Jonas', 'Mia'],
};

export const creatorLastNames = {
  FI: [
    'Lehtonen',
    'Nieminen',
    'Heikkinen',
    'Laine',
    'Koskinen',
    'Järvinen',
    'Salo',
    'Hämäläinen',
    'Rantanen',
    'Aaltonen',
  ],
  US: ['Vaughan', 'Brooks', 'Nguyen', 'Carter', 'Ramirez', 'Patel', 'Coleman', 'Bennett', 'Foster', 'Hayes'],
  SE: ['Lindqvist', 'Berg', 'Holm'],
  DE: ['Schneider', 'Vogel', 'Krüger'],
};

export const nicheWords = [
  'fit',
  'runs',
  'lifts',
  'glow',
  'skin',
  'trails',
  'moves',
  'daily',
  'yoga',
  'outdoors',
  'beauty',
  'hikes',
];

/** What creators write when they apply, brands when they invite or approve (null: nothing). */
export const applicationNotes = [
  'I post a workout video every morning and my followers keep asking where my gear is from.',
  'Long-time customer! I would love to share your products with my audience.',
  'My audience is mostly 20–35 and into running and strength training.',
  'I review skincare honestly every week; your serum is already in my routine.',
  null,
  null,
];
export const invitationNotes = [
  'We loved your trail videos: join our Outdoor Ambassadors?',
  'Your content fits our brand perfectly; we would love to work with you.',
  null,
];
export const approvalNotes = ['Welcome aboard!', 'Great fit for the spring launch', null, null, null];
