// Loaded lazily (see ./strength.ts): zxcvbn-ts with the language-independent dictionaries
// (common passwords, diceware words) and keyboard layouts, and English feedback in our own words.
import { ZxcvbnFactory, type TranslationKeys } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

const translations: TranslationKeys = {
  warnings: {
    straightRow: "Straight rows of keys on the keyboard are easy to guess.",
    keyPattern: "Short keyboard patterns are easy to guess.",
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common sequences like "abc" or "123" are easy to guess.',
    recentYears: "Recent years are easy to guess.",
    dates: "Dates are easy to guess.",
    topTen: "This is one of the most used passwords.",
    topHundred: "This is a very frequently used password.",
    common: "This is a commonly used password.",
    similarToCommon: "This is similar to a commonly used password.",
    wordByItself: "A single word is easy to guess.",
    namesByThemselves: "Names on their own are easy to guess.",
    commonNames: "Common names are easy to guess.",
    userInputs: "Your own name, username, email or the business name are easy to guess.",
    pwned: "This password has appeared in a data breach.",
  },
  suggestions: {
    l33t: "Swapping letters for look-alikes, like @ for a, doesn't help much.",
    reverseWords: "Spelling a common word backwards doesn't help much.",
    allUppercase: "Capitalise some letters, not all of them.",
    capitalization: "Capitalising only the first letter doesn't help much.",
    dates: "Avoid dates and years that are connected to you.",
    recentYears: "Avoid recent years.",
    associatedYears: "Avoid years that are connected to you.",
    sequences: "Avoid common sequences.",
    repeated: "Avoid repeated words and characters.",
    longerKeyboardPattern: "Avoid keyboard patterns.",
    anotherWord: "Add another word or two that are less common.",
    useWords: "Try a few unrelated words together, avoiding common phrases.",
    noNeed: "No symbols, digits or capitals are needed: length matters most.",
    pwned: "If you use this password anywhere else, change it there too.",
  },
  timeEstimation: {
    ltSecond: "less than a second",
    second: "1 second",
    seconds: "{base} seconds",
    minute: "1 minute",
    minutes: "{base} minutes",
    hour: "1 hour",
    hours: "{base} hours",
    day: "1 day",
    days: "{base} days",
    month: "1 month",
    months: "{base} months",
    year: "1 year",
    years: "{base} years",
    centuries: "centuries",
  },
};

const zxcvbn = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, translations });

export function estimateStrength(password: string, userInputs: readonly string[]) {
  const result = zxcvbn.check(password, [...userInputs]);
  return {
    score: result.score,
    warning: result.feedback.warning,
    suggestions: result.feedback.suggestions,
  };
}
