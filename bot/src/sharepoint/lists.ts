import type { OutboxEntity } from '../store';

/** The lists Kenniskring keeps in SharePoint, their columns and what each one is for. */
export type ColumnType = 'text' | 'note' | 'number' | 'dateTime' | 'boolean' | 'choice';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  indexed?: boolean;
  unique?: boolean;
  required?: boolean;
  choices?: readonly string[];
  description: string;
}

export type ListRole = 'questions' | 'answers' | 'comments' | 'posts' | 'audit' | 'agenda' | 'asks' | 'themes';

export interface ListDef {
  role: ListRole;
  entity: OutboxEntity;
  /** Other records kept as rows of this list: proposed questions in the questions list. */
  alsoFor?: readonly OutboxEntity[];
  description: string;
  /** Is the key column unique in SharePoint? Not where moderators create rows (see README). */
  uniqueKey: boolean;
  columns: readonly ColumnDef[];
}

/** The record's own key: question id, question+member, thread+message, question+RKK. */
export const KEY = 'Sleutel';

/** How moderators write the answer kind in SharePoint, and what it means. */
export const KIND_CHOICES = { 'Eén keuze': 'single', 'Meerdere keuzes': 'multiple', 'Schaal 1-5': 'scale', 'Open vraag': 'open' } as const;
/** Who wrote an agenda row: staff in SharePoint, or Kenniskring (a moment planned in Teams). */
export const AGENDA_SOURCES = { sharepoint: 'SharePoint', bot: 'Kenniskring' } as const;
/** A question for all regions, as SharePoint shows where it stands. */
export const ASK_STATES = { pending: 'ter goedkeuring', approved: 'goedgekeurd', rejected: 'afgewezen' } as const;
export const SOURCE_CHOICES = { sharepoint: 'SharePoint', file: 'Vragenbestand', command: 'Opdracht in Teams', proposal: 'Voorstel' } as const;

const key = (unique: boolean): ColumnDef => ({ name: KEY, type: 'text', indexed: true, unique, description: 'Unieke sleutel van het record (door Kenniskring beheerd).' });

export const LISTS: readonly ListDef[] = [
  {
    role: 'questions', entity: 'question', alsoFor: ['proposal'], uniqueKey: false,
    description: 'Vragen van de week: schrijf hier nieuwe vragen; Kenniskring vult Status, VraagId en de tijdstippen in.',
    columns: [
      key(false),
      { name: 'Vraag', type: 'note', description: 'De vraag zoals leden ze zien (10–500 tekens). Leeg: de titel.' },
      { name: 'Soort', type: 'choice', choices: Object.keys(KIND_CHOICES), description: 'Soort antwoord.' },
      { name: 'Opties', type: 'note', description: 'Antwoordopties, één per regel (2–10, alleen voor keuzevragen).' },
      { name: 'Ervaring', type: 'text', description: 'Nummers van de opties die betekenen dat het bestuur het al doet, bv. 1 of 1, 2: wie er een kiest, kan collega\'s toestaan hem of haar te contacteren (niet bij anonieme vragen).' },
      { name: 'Thema', type: 'text', description: 'infrastructuur, data, strategie, vaardigheden, e-inclusie of andere.' },
      { name: 'Doelgroep', type: 'text', description: 'Leeg voor alle kenniskringen, of namen gescheiden door komma\'s.' },
      { name: 'Week', type: 'text', indexed: true, description: 'ISO-week, bv. 2026-W49. Leeg: de wachtrij.' },
      { name: 'SluitOp', type: 'dateTime', description: 'Sluitingstijdstip (leeg: net voor de volgende vraag).' },
      { name: 'ToelichtingToegestaan', type: 'boolean', description: 'Mogen leden een toelichting geven?' },
      { name: 'Anoniem', type: 'boolean', description: 'Anonieme vraag: alleen een gezouten hash van elk lid wordt bewaard, geen naam.' },
      { name: 'Bron', type: 'choice', choices: Object.values(SOURCE_CHOICES), description: 'Waar de vraag vandaan komt.' },
      { name: 'Status', type: 'note', description: 'Door Kenniskring: gepland, gepost, gesloten of waarom de rij is afgewezen; bij een voorstel van een lid: wie het voorstelde en wat ermee gebeurde.' },
      { name: 'GepostOp', type: 'dateTime', description: 'Wanneer de vraag uitging.' },
      { name: 'GeslotenOp', type: 'dateTime', description: 'Wanneer de vraag sloot.' },
    ],
  },
  {
    role: 'answers', entity: 'answer', uniqueKey: true,
    description: 'Antwoorden op de vraag van de week: één rij per lid per vraag, altijd het laatste antwoord.',
    columns: [
      key(true),
      { name: 'VraagId', type: 'text', indexed: true, required: true, description: 'De vraag.' },
      { name: 'RKK', type: 'text', indexed: true, description: 'De kenniskring waar het lid antwoordde.' },
      { name: 'Lid', type: 'text', description: 'Naam van het lid.' },
      { name: 'LidId', type: 'text', indexed: true, description: 'Entra object-id van het lid.' },
      { name: 'Antwoord', type: 'note', description: 'Het antwoord, in woorden.' },
      { name: 'Keuzes', type: 'text', description: 'Gekozen optienummers.' },
      { name: 'Toelichting', type: 'note', description: 'Toelichting van het lid.' },
      { name: 'Contact', type: 'boolean', description: 'Het lid koos een optie die ervaring betekent en mag daarover door collega\'s gecontacteerd worden.' },
      { name: 'Uitgelicht', type: 'boolean', description: 'Door een moderator uitgelicht: de andere regio\'s lezen deze toelichting in hun overzicht.' },
      { name: 'BeantwoordOp', type: 'dateTime', description: 'Eerste antwoord.' },
      { name: 'GewijzigdOp', type: 'dateTime', description: 'Laatste wijziging.' },
      { name: 'Versie', type: 'number', description: 'Hoe vaak het antwoord werd gegeven of gewijzigd.' },
    ],
  },
  {
    role: 'comments', entity: 'comment', uniqueKey: true,
    description: 'Reacties in de draad onder de vraag van de week.',
    columns: [
      key(true),
      { name: 'VraagId', type: 'text', indexed: true, required: true, description: 'De vraag.' },
      { name: 'RKK', type: 'text', indexed: true, description: 'De kenniskring.' },
      { name: 'Auteur', type: 'text', description: 'Naam van wie reageerde.' },
      { name: 'AuteurId', type: 'text', indexed: true, description: 'Entra object-id van wie reageerde.' },
      { name: 'Tekst', type: 'note', description: 'De reactie.' },
      { name: 'GeplaatstOp', type: 'dateTime', description: 'Wanneer geplaatst.' },
      { name: 'BewerktOp', type: 'dateTime', description: 'Laatst bewerkt.' },
      { name: 'Verwijderd', type: 'boolean', description: 'Verwijderd in Teams.' },
    ],
  },
  {
    role: 'posts', entity: 'post', uniqueKey: true,
    description: 'Waar en wanneer elke vraag gepost werd.',
    columns: [
      key(true),
      { name: 'VraagId', type: 'text', indexed: true, required: true, description: 'De vraag.' },
      { name: 'RKK', type: 'text', indexed: true, description: 'De kenniskring.' },
      { name: 'Status', type: 'choice', choices: ['wacht', 'bezig', 'gepost', 'mislukt'], description: 'Stand van de post.' },
      { name: 'DraadId', type: 'text', description: 'De draad in Teams.' },
      { name: 'GepostOp', type: 'dateTime', description: 'Wanneer gepost.' },
      { name: 'Fout', type: 'note', description: 'De laatste fout, als het (nog) niet lukte.' },
    ],
  },
  {
    role: 'audit', entity: 'audit', uniqueKey: true,
    description: 'Wie deed wat, wanneer: elke handeling van een beheerder in Kenniskring.',
    columns: [
      key(true),
      { name: 'Tijdstip', type: 'dateTime', indexed: true, description: 'Wanneer.' },
      { name: 'Wie', type: 'text', description: 'Naam van de beheerder.' },
      { name: 'WieId', type: 'text', indexed: true, description: 'Entra object-id van de beheerder.' },
      { name: 'Actie', type: 'text', indexed: true, description: 'Wat (publiceer, sluit, plan, wis, opnieuw …).' },
      { name: 'Doel', type: 'text', description: 'Waarop: vraag, lid …' },
      { name: 'Details', type: 'note', description: 'Meer uitleg.' },
    ],
  },
  {
    role: 'agenda', entity: 'moment', uniqueKey: false,
    description: 'Kennismomenten en webinars voor alle kenniskringen: schrijf hier een nieuwe rij; Kenniskring kondigt ze aan in elke kenniskring en toont ze in de tab.',
    columns: [
      key(false),
      { name: 'Begin', type: 'dateTime', indexed: true, description: 'Datum en uur van het begin.' },
      { name: 'Waar', type: 'note', description: 'Een onlinelink (https://…) of een plaats.' },
      { name: 'Beschrijving', type: 'note', description: 'Korte beschrijving (hoogstens 1000 tekens).' },
      { name: 'Thema', type: 'text', description: 'Het terugkerende thema waarop het kennismoment antwoordt (niet verplicht).' },
      { name: 'Bron', type: 'choice', choices: Object.values(AGENDA_SOURCES), description: 'Waar het kennismoment vandaan komt.' },
      { name: 'Status', type: 'note', description: 'Door Kenniskring: aangekondigd, of waarom de rij is afgewezen.' },
    ],
  },
  {
    role: 'asks', entity: 'ask', uniqueKey: true,
    description: 'Vragen van leden aan alle regio\'s, via RKK Overkoepelend: wie vroeg wat, de beslissing en het aantal reacties.',
    columns: [
      key(true),
      { name: 'Vraag', type: 'note', description: 'De vraag van het lid.' },
      { name: 'Vrager', type: 'text', description: 'Naam van wie vroeg.' },
      { name: 'VragerId', type: 'text', indexed: true, description: 'Entra object-id van wie vroeg.' },
      { name: 'RKK', type: 'text', description: 'De kenniskring van wie vroeg.' },
      { name: 'Status', type: 'choice', choices: Object.values(ASK_STATES), description: 'Stand van de vraag.' },
      { name: 'Reden', type: 'note', description: 'Waarom de vraag werd afgewezen.' },
      { name: 'BeslistDoor', type: 'text', description: 'De beheerder die besliste.' },
      { name: 'GevraagdOp', type: 'dateTime', description: 'Wanneer gevraagd.' },
      { name: 'BeslistOp', type: 'dateTime', description: 'Wanneer beslist.' },
      { name: 'Reacties', type: 'number', description: 'Aantal reacties in de draad in RKK Overkoepelend.' },
    ],
  },
  {
    role: 'themes', entity: 'theme', uniqueKey: true,
    description: 'Terugkerende thema\'s: onderwerpen die in verschillende kenniskringen terugkwamen, zoals de wekelijkse kaart in RKK Overkoepelend ze toonde.',
    columns: [
      key(true),
      { name: 'Week', type: 'text', indexed: true, description: 'De week van de kaart (ISO-week, bv. 2026-W49).' },
      { name: 'RKKs', type: 'note', description: 'De kenniskringen waar het thema terugkwam.' },
      { name: 'Bouwstenen', type: 'text', description: 'De bouwstenen van de vragen waarbij het terugkwam.' },
      { name: 'Voorbeelden', type: 'note', description: 'Wat leden schreven, met hun kenniskring en de vraag.' },
      { name: 'Aantal', type: 'number', description: 'Hoe vaak het thema voorkwam.' },
    ],
  },
];

export function listFor(entity: OutboxEntity): ListDef {
  return LISTS.find((l) => l.entity === entity || l.alsoFor?.includes(entity))!;
}
