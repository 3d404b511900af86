import type { Province } from '@lm/contracts';

/** Towns per Lombardy province with approximate coordinates (the first is the capital). */
export const PLACES: Record<Exclude<Province, 'OUT'>, { city: string; lat: number; lon: number }[]> = {
  MI: [
    { city: 'Milano', lat: 45.4642, lon: 9.19 },
    { city: 'Sesto San Giovanni', lat: 45.5333, lon: 9.2333 },
    { city: 'Segrate', lat: 45.4833, lon: 9.3 },
    { city: 'Rho', lat: 45.5281, lon: 9.0408 },
    { city: 'San Donato Milanese', lat: 45.4167, lon: 9.2667 },
    { city: 'Legnano', lat: 45.5956, lon: 8.9147 },
    { city: 'Rozzano', lat: 45.3833, lon: 9.15 },
  ],
  BG: [
    { city: 'Bergamo', lat: 45.6983, lon: 9.6773 },
    { city: 'Dalmine', lat: 45.65, lon: 9.6 },
    { city: 'Treviglio', lat: 45.5214, lon: 9.5928 },
  ],
  BS: [
    { city: 'Brescia', lat: 45.5416, lon: 10.2118 },
    { city: 'Lumezzane', lat: 45.65, lon: 10.2667 },
    { city: 'Desenzano del Garda', lat: 45.4711, lon: 10.5386 },
  ],
  CO: [
    { city: 'Como', lat: 45.8081, lon: 9.0852 },
    { city: 'Cantù', lat: 45.7333, lon: 9.1333 },
    { city: 'Lomazzo', lat: 45.7, lon: 9.0333 },
  ],
  CR: [
    { city: 'Cremona', lat: 45.1333, lon: 10.0333 },
    { city: 'Crema', lat: 45.3667, lon: 9.6833 },
  ],
  LC: [
    { city: 'Lecco', lat: 45.85, lon: 9.3833 },
    { city: 'Merate', lat: 45.7, lon: 9.4167 },
    { city: 'Bosisio Parini', lat: 45.8, lon: 9.2833 },
  ],
  LO: [
    { city: 'Lodi', lat: 45.3167, lon: 9.5 },
    { city: 'Codogno', lat: 45.1597, lon: 9.7047 },
  ],
  MN: [
    { city: 'Mantova', lat: 45.1564, lon: 10.7914 },
    { city: 'Suzzara', lat: 44.9928, lon: 10.7444 },
  ],
  MB: [
    { city: 'Monza', lat: 45.5845, lon: 9.2744 },
    { city: 'Vimercate', lat: 45.6167, lon: 9.3667 },
    { city: 'Agrate Brianza', lat: 45.5769, lon: 9.3536 },
    { city: 'Desio', lat: 45.6167, lon: 9.2 },
  ],
  PV: [
    { city: 'Pavia', lat: 45.1847, lon: 9.1582 },
    { city: 'Vigevano', lat: 45.3167, lon: 8.8667 },
    { city: 'Voghera', lat: 44.9925, lon: 9.0092 },
  ],
  SO: [
    { city: 'Sondrio', lat: 46.1697, lon: 9.8719 },
    { city: 'Morbegno', lat: 46.1333, lon: 9.5667 },
  ],
  VA: [
    { city: 'Varese', lat: 45.8206, lon: 8.8251 },
    { city: 'Busto Arsizio', lat: 45.6119, lon: 8.8517 },
    { city: 'Gallarate', lat: 45.6603, lon: 8.7917 },
    { city: 'Samarate', lat: 45.6236, lon: 8.7833 },
  ],
};

export function place(province: Exclude<Province, 'OUT'>, index = 0) {
  const list = PLACES[province];
  const p = list[index % list.length]!;
  return { province, city: p.city, lat: p.lat, lon: p.lon };
}
