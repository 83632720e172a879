/** The parts of @nlpjs/lang-nl (Snowball's Dutch stemmer, a Dutch stop-word list) that domain/recurring.ts uses; the package ships no types. */
declare module '@nlpjs/lang-nl' {
  export class StemmerNl {
    stemWord(word: string): string;
  }
  export class StopwordsNl {
    isStopword(word: string): boolean;
  }
}
