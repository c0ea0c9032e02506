// The one implementation both servers of a pair serve: the work of the
// service itself is the same on both sides, so the difference is the serving.
export const BOOK_ID = '9b2c6a7e-4f1d-4c3a-9e8b-2d5f7a1c3e90';

const book = {
  id: BOOK_ID,
  title: 'Dune',
  isbn: '9780441013593',
  price: '9.99',
  pages: 412,
  status: 'PUBLISHED',
  tags: ['science fiction', 'classic'],
  publishedAt: new Date(Date.UTC(1965, 7, 1)),
  attributes: new Map([
    ['language', 'en'],
    ['format', 'paperback'],
  ]),
  salesRank: 12345678901n,
};

export class BookNotFound extends Error {}

/** `notFound(id)` builds the contract's error for a missing book (each side passes its own error class). */
export function bookstore(notFound) {
  return {
    async getBook(input) {
      if (input.id !== BOOK_ID) throw notFound(input.id);
      return book;
    },
    async createBook(input) {
      return { ...input.book, id: BOOK_ID };
    },
    async listBooks() {
      return { books: [book] };
    },
    async search() {
      return [];
    },
    async *watchPrices() {},
    async importBooks() {
      return { imported: 0, failed: 0 };
    },
    async *chat() {},
  };
}

/** The request bodies of the load. */
export const NEW_BOOK = {
  title: 'The Left Hand of Darkness',
  isbn: '9780441478125',
  price: '12.50',
  pages: 304,
  status: 'DRAFT',
  tags: ['science fiction'],
  publishedAt: '1969-03-01T00:00:00.000Z',
  attributes: { language: 'en' },
  salesRank: '42',
};
