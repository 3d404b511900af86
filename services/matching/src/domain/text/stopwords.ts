/**
 * Italian and English stop words (accent-free, lowercase: they are compared after folding).
 * Both lists apply to every text: profiles mix languages and a need in Italian must meet an
 * offer in English on the same terms.
 */
const ITALIAN = `a ad al alla alle allo agli ai all anche ancora avere aveva c che chi ci come con contro cui da dal dalla dalle dallo dagli dai degli dei del della delle dello di dove e ed essere fa fra gli ha hanno ho i il in io la le lei li lo loro lui ma mi ne nei nel nella nelle nello negli noi non nostra nostre nostri nostro o per perche piu poi quale quali quando quanto quella quelle quelli quello questa queste questi questo se sei si sia sono sopra sotto su sua sue sui sul sulla sulle sullo suo suoi tra tutti tutto un una uno vi voi vostra vostro gia cosi essa esse essi esso tale tali molto molti ogni altro altra altri altre nostra vostra sempre siamo siete era erano stato stata stati state fare fatto anni anno`;

const ENGLISH = `a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves us via per within across new etc`;

export const STOP_WORDS: ReadonlySet<string> = new Set([...ITALIAN.split(/\s+/), ...ENGLISH.split(/\s+/)]);
