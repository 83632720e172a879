/**
 * The five building blocks of a full digital transformation of local government
 * (VVSG vision text, seed 001), plus "andere" for everything else.
 */
export const THEMES = ['infrastructuur', 'data', 'strategie', 'vaardigheden', 'e-inclusie', 'andere'] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_LABELS: Record<Theme, { nl: string; en: string }> = {
  infrastructuur: { nl: 'Veilige IT-infrastructuur en gedeelde toepassingen', en: 'Secure IT infrastructure and shared applications' },
  data: { nl: 'Datahuishouding en gegevensdeling', en: 'Data management and data sharing' },
  strategie: { nl: 'Strategie en samenwerking', en: 'Strategy and collaboration' },
  vaardigheden: { nl: 'Digitale kennis en vaardigheden', en: 'Digital knowledge and skills' },
  'e-inclusie': { nl: 'Digitale kloof en e-inclusie', en: 'Digital divide and e-inclusion' },
  andere: { nl: 'Andere', en: 'Other' },
};
