// The bookstore's business logic, written once against the generated service
// interface and served over every style by `serveBookstore` (see serve.ts).
// An in-memory catalog: enough to call every operation from any client.
import { randomUUID } from 'node:crypto';
import type { Book, BookPage, ChatLine, ImportSummary, PriceTick, SearchHit } from '../generated-examples/bookstore/typescript/types.js';
import { BookNotFoundError } from '../generated-examples/bookstore/typescript/errors.js';
import type { BookstoreService, CallContext } from '../generated-examples/bookstore/typescript/service.js';
import type { BookstoreEvents } from '../generated-examples/bookstore/typescript/events.js';

export function createBookstore(events?: () => BookstoreEvents | undefined): BookstoreService & { books: Map<string, Book> } {
  const books = new Map<string, Book>();
  const seed: Book = {
    id: '123e4567-e89b-12d3-a456-426614174000',
    title: 'The Pragmatic Programmer',
    isbn: '9780135957059',
    price: '49.99',
    pages: 352,
    status: 'PUBLISHED',
    tags: ['craft'],
    publishedAt: new Date('2019-09-13T00:00:00.000Z'),
    attributes: new Map([['edition', '20th anniversary']]),
    salesRank: 42n,
  };
  books.set(seed.id, seed);

  return {
    books,
    async getBook({ id }) {
      const book = books.get(id.toLowerCase());
      if (!book) throw new BookNotFoundError({ bookId: id });
      return book;
    },
    async listBooks({ status, pageSize = 20, pageToken }): Promise<BookPage> {
      const all = [...books.values()].filter((b) => status === undefined || b.status === status);
      const start = pageToken === undefined ? 0 : Number(pageToken);
      const page = all.slice(start, start + pageSize);
      const next = start + pageSize < all.length ? String(start + pageSize) : undefined;
      return next === undefined ? { books: page } : { books: page, nextPageToken: next };
    },
    async createBook({ book }) {
      const created: Book = { ...book, id: randomUUID() };
      books.set(created.id, created);
      if (created.status === 'PUBLISHED') await events?.()?.bookPublished(created);
      return created;
    },
    async search({ text }): Promise<SearchHit[]> {
      const needle = text.toLowerCase();
      return [...books.values()].filter((b) => b.title.toLowerCase().includes(needle)).map((b) => ({ type: 'Book' as const, ...b }));
    },
    async *watchPrices({ bookIds }, ctx: CallContext): AsyncIterable<PriceTick> {
      for (let round = 1; round <= 3 && !ctx.signal.aborted; round++) {
        for (const bookId of bookIds) {
          const book = books.get(bookId.toLowerCase());
          if (book) yield { bookId, price: book.price, at: new Date(Date.UTC(2024, 0, round)) };
        }
      }
    },
    async importBooks(input): Promise<ImportSummary> {
      let imported = 0;
      for await (const book of input) {
        const id = randomUUID();
        books.set(id, { ...book, id });
        imported++;
      }
      return { imported, failed: 0 };
    },
    async *chat(input): AsyncIterable<ChatLine> {
      for await (const line of input) yield { from: 'bookstore', text: `you said: ${line.text}`, sentAt: line.sentAt };
    },
  };
}
