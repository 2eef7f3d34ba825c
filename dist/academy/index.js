/**
 * The public module of the academy domain: what other domains may use of it. Everything else in
 * src/academy/ is its own business (the composition root, src/app, may wire any of it).
 */
export { certificationsByUser, certificationsOf, certifiedAmong, createCourse, getCourse, hasCertification, listCourses, requireCourseOf, submitAttempt, } from "./academy.service.js";
