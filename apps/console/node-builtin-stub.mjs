// What the console's build gives dotenv for the Node modules it requires at its top (see vite.config.mjs).
export default {};
